// Bounded waiting: sleeps, deadlines and a bounded-concurrency runner.

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class Deadline {
  readonly #end: number;
  constructor(readonly timeoutMs: number) {
    this.#end = performance.now() + timeoutMs;
  }
  get expired(): boolean {
    return performance.now() >= this.#end;
  }
  get remainingMs(): number {
    return Math.max(0, this.#end - performance.now());
  }
}

/**
 * Runs `task` over every item with at most `limit` in flight; results keep the input order.
 * Each task is expected to bound itself (RPC requests carry their own timeout).
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
