// The last bytes a child process wrote, kept bounded so a chatty node cannot fill the test's memory.

export const DEFAULT_OUTPUT_LIMIT = 64 * 1024;

export class OutputTail {
  #text = '';
  readonly #limit: number;

  constructor(limit = DEFAULT_OUTPUT_LIMIT) {
    this.#limit = limit;
  }

  append(chunk: Buffer | string): void {
    this.#text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    // Trim in steps rather than on every chunk: slicing a 64 KiB string per line is wasteful.
    if (this.#text.length > 2 * this.#limit) this.#text = this.#text.slice(-this.#limit);
  }

  text(): string {
    return this.#text.length > this.#limit ? this.#text.slice(-this.#limit) : this.#text;
  }
}
