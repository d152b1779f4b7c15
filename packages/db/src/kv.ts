// The key-value store the node writes through: LevelDB on disk, a Map in tests.
import { ClassicLevel } from 'classic-level';

export type BatchOp = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array };

export interface KeyValueStore {
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  /** Applies every op or none: the unit of crash safety. */
  write(ops: readonly BatchOp[]): Promise<void>;
  /** Keys in [gte, lt), in byte order, up to `limit`. */
  keys(range: { gte: Uint8Array; lt: Uint8Array; limit: number }): Promise<Uint8Array[]>;
  close(): Promise<void>;
}

export interface LevelStoreOptions {
  /** fsync each write batch: survives power loss, not only a process crash. */
  sync: boolean;
}

export const defaultLevelStoreOptions: LevelStoreOptions = { sync: false };

export class LevelStore implements KeyValueStore {
  private readonly db: ClassicLevel<Uint8Array, Uint8Array>;
  private readonly sync: boolean;

  private constructor(db: ClassicLevel<Uint8Array, Uint8Array>, opts: LevelStoreOptions) {
    this.db = db;
    this.sync = opts.sync;
  }

  static async open(location: string, opts: Partial<LevelStoreOptions> = {}): Promise<LevelStore> {
    const db = new ClassicLevel<Uint8Array, Uint8Array>(location, {
      keyEncoding: 'view',
      valueEncoding: 'view',
    });
    await db.open();
    return new LevelStore(db, { ...defaultLevelStoreOptions, ...opts });
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    return (await this.db.get(key)) ?? undefined;
  }

  async write(ops: readonly BatchOp[]): Promise<void> {
    if (ops.length === 0) return;
    await this.db.batch(ops as BatchOp[], { sync: this.sync });
  }

  async keys(range: { gte: Uint8Array; lt: Uint8Array; limit: number }): Promise<Uint8Array[]> {
    return this.db.keys(range).all();
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

const hex = (key: Uint8Array) => Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex');

export class MemoryStore implements KeyValueStore {
  private readonly map = new Map<string, Uint8Array>();

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    return this.map.get(hex(key));
  }

  async write(ops: readonly BatchOp[]): Promise<void> {
    for (const op of ops) {
      if (op.type === 'put') this.map.set(hex(op.key), op.value);
      else this.map.delete(hex(op.key));
    }
  }

  async keys(range: { gte: Uint8Array; lt: Uint8Array; limit: number }): Promise<Uint8Array[]> {
    const gte = hex(range.gte);
    const lt = hex(range.lt);
    return [...this.map.keys()]
      .filter((k) => k >= gte && k < lt)
      .sort()
      .slice(0, range.limit)
      .map((k) => Uint8Array.from(Buffer.from(k, 'hex')));
  }

  async close(): Promise<void> {}
}
