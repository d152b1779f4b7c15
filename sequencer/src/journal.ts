// The pool's journal: every admitted transaction is appended (synchronously,
// before the sender gets its answer) to a file in the data dir, and replayed
// on start, so that a transaction the node acknowledged survives a restart or
// a crash before it is mined. Rewritten from the pool when it grows stale.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

const LENGTH_BYTES = 4;

export interface TxJournalOptions {
  /** Rewrite once the file holds this many records more than the pool does. */
  slack: number;
}

export const defaultTxJournalOptions: TxJournalOptions = { slack: 4_096 };

export class TxJournal {
  private readonly path: string;
  private readonly opts: TxJournalOptions;
  private fd: number;
  private records: number;

  private constructor(path: string, opts: TxJournalOptions, records: number) {
    this.path = path;
    this.opts = opts;
    this.fd = openSync(path, 'a');
    this.records = records;
  }

  /** Opens the journal at `path` and returns what it holds (a torn last record is dropped). */
  static open(
    path: string,
    opts: TxJournalOptions = defaultTxJournalOptions,
  ): { journal: TxJournal; replay: Uint8Array[] } {
    const replay: Uint8Array[] = [];
    if (existsSync(path)) {
      const bytes = readFileSync(path);
      let offset = 0;
      while (offset + LENGTH_BYTES <= bytes.length) {
        const length = bytes.readUInt32BE(offset);
        if (offset + LENGTH_BYTES + length > bytes.length) break;
        replay.push(Uint8Array.from(bytes.subarray(offset + LENGTH_BYTES, offset + LENGTH_BYTES + length)));
        offset += LENGTH_BYTES + length;
      }
    }
    return { journal: new TxJournal(path, opts, replay.length), replay };
  }

  append(raw: Uint8Array): void {
    writeSync(this.fd, record(raw));
    this.records++;
  }

  /** Replaces the file with `current` (the pool's content) when it has grown stale. */
  compact(current: () => Iterable<Uint8Array>, poolSize: number): void {
    if (this.records - poolSize < this.opts.slack) return;
    this.rewrite(current());
  }

  rewrite(raws: Iterable<Uint8Array>): void {
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    let count = 0;
    try {
      for (const raw of raws) {
        writeSync(fd, record(raw));
        count++;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // The rename is atomic: a crash leaves the old journal or the new one.
    renameSync(tmp, this.path);
    closeSync(this.fd);
    this.fd = openSync(this.path, 'a');
    this.records = count;
  }

  close(): void {
    closeSync(this.fd);
  }
}

function record(raw: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(LENGTH_BYTES + raw.length);
  out.writeUInt32BE(raw.length, 0);
  out.set(raw, LENGTH_BYTES);
  return out;
}
