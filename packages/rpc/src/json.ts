// Responses serialized with pieces that are JSON text already: a method may
// answer with RawJson (eth_getLogs does, from per-block caches of formatted
// logs), spliced into the response as is instead of being built as objects
// and stringified again.

export class RawJson {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }
}

/** A JSON array of JSON texts. */
export function rawArray(items: readonly string[]): RawJson {
  return new RawJson(`[${items.join(',')}]`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON-RPC response or batch of responses as text; a RawJson result goes in verbatim. */
export function stringifyResponse(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stringifyResponse).join(',')}]`;
  if (isRecord(value) && value.result instanceof RawJson) {
    const { result, ...rest } = value;
    const head = JSON.stringify(rest);
    return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"result":${result.text}}`;
  }
  return JSON.stringify(value);
}
