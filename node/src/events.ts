// A bounded-fanout listener list: the node's events (new blocks, pending
// transactions) reach RPC filters and subscriptions through these.
export class Listeners<T> {
  private readonly listeners = new Set<(value: T) => void>();
  private readonly onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void) {
    this.onError = onError;
  }

  add(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(value: T): void {
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch (err) {
        // One faulty subscriber must not stop block production.
        this.onError(err);
      }
    }
  }
}
