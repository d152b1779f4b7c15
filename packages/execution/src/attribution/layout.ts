// Records as Solidity lays out a struct: scalar fields packed in order into
// 32-byte slots from the record's base slot (a field that does not fit in
// what is left of a slot starts the next one); a string or a dynamic array
// takes a slot of its own for its length, with its items from
// keccak256(slot) on (array items packed as Solidity packs them, strings as
// 32-byte chunks). One layout per record kind; reads and writes go through a
// SlotStore, so the same code serves the precompiles and the RPC.
import type { Address } from '@ethereumjs/util';
import { itemsBase, mask, recordBase, WORD_BITS } from './slots.js';
import type { SlotStore } from './store.js';

export type FieldSpec =
  /** `abi`: how the ABI shows the value when it is not a number (an address, a bytes32). */
  | { name: string; type: 'uint'; bits: number; abi?: 'address' | 'bytes32' }
  | { name: string; type: 'string' }
  | { name: string; type: 'array'; bits: number };

interface Position {
  slot: number;
  shift: number;
  bits: number;
  type: FieldSpec['type'];
}

export class Layout<N extends string = string> {
  readonly tag: bigint;
  readonly fields: readonly (FieldSpec & { name: N })[];
  readonly slots: number;
  private readonly positions = new Map<string, Position>();

  constructor(tag: bigint, fields: readonly (FieldSpec & { name: N })[]) {
    this.tag = tag;
    this.fields = fields;
    let slot = 0;
    let used = 0;
    for (const f of fields) {
      if (f.type === 'uint') {
        if (used + f.bits > WORD_BITS) {
          slot++;
          used = 0;
        }
        this.positions.set(f.name, { slot, shift: used, bits: f.bits, type: 'uint' });
        used += f.bits;
      } else {
        if (used > 0) slot++;
        this.positions.set(f.name, { slot, shift: 0, bits: f.type === 'array' ? f.bits : 8, type: f.type });
        slot++;
        used = 0;
      }
    }
    this.slots = slot + (used > 0 ? 1 : 0);
  }

  position(name: N): Position {
    const p = this.positions.get(name);
    if (p === undefined) throw new Error(`no field ${name}`);
    return p;
  }

  at(store: SlotStore, account: Address, id: bigint): RecordRef<N> {
    return new RecordRef(store, account, recordBase(this.tag, id), this);
  }
}

export type RecordValues<N extends string> = Record<N, bigint | Uint8Array | bigint[]>;

/** One record in storage. */
export class RecordRef<N extends string> {
  private readonly store: SlotStore;
  private readonly account: Address;
  private readonly base: bigint;
  private readonly layout: Layout<N>;

  constructor(store: SlotStore, account: Address, base: bigint, layout: Layout<N>) {
    this.store = store;
    this.account = account;
    this.base = base;
    this.layout = layout;
  }

  private slotOf(name: N): { slot: bigint; pos: Position } {
    const pos = this.layout.position(name);
    return { slot: this.base + BigInt(pos.slot), pos };
  }

  async get(name: N): Promise<bigint> {
    const { slot, pos } = this.slotOf(name);
    const w = await this.store.load(this.account, slot);
    return (w >> BigInt(pos.shift)) & mask(pos.bits);
  }

  /** Sets scalar fields, each slot read and written once. */
  async update(values: Partial<Record<N, bigint>>): Promise<void> {
    const bySlot = new Map<bigint, [Position, bigint][]>();
    for (const [name, value] of Object.entries(values) as [N, bigint][]) {
      const { slot, pos } = this.slotOf(name);
      if (value < 0n || value > mask(pos.bits)) throw new RangeError(`${name} out of range: ${value}`);
      const list = bySlot.get(slot) ?? [];
      list.push([pos, value]);
      bySlot.set(slot, list);
    }
    for (const [slot, list] of bySlot) {
      let w = await this.store.load(this.account, slot);
      for (const [pos, value] of list) {
        const m = mask(pos.bits) << BigInt(pos.shift);
        w = (w & ~m) | (value << BigInt(pos.shift));
      }
      await this.store.store(this.account, slot, w);
    }
  }

  /**
   * Writes a new record: every scalar slot once, without reading it first
   * (its slots are known empty), and the strings and arrays given.
   */
  async create(values: Partial<RecordValues<N>>): Promise<void> {
    const words = new Map<number, bigint>();
    for (const f of this.layout.fields) {
      const value = values[f.name];
      if (value === undefined) continue;
      const pos = this.layout.position(f.name);
      if (f.type === 'uint') {
        const v = value as bigint;
        if (v < 0n || v > mask(pos.bits)) throw new RangeError(`${f.name} out of range: ${v}`);
        words.set(pos.slot, (words.get(pos.slot) ?? 0n) | (v << BigInt(pos.shift)));
      } else if (f.type === 'string') {
        await this.setString(f.name, value as Uint8Array);
      } else {
        await this.setItems(f.name, value as bigint[]);
      }
    }
    for (const [slot, w] of words) {
      if (w !== 0n) await this.store.store(this.account, this.base + BigInt(slot), w);
    }
  }

  async getString(name: N): Promise<Uint8Array> {
    const { slot } = this.slotOf(name);
    const length = Number(await this.store.load(this.account, slot));
    const out = new Uint8Array(length);
    const items = itemsBase(slot);
    for (let i = 0; i * 32 < length; i++) {
      const chunk = await this.store.load(this.account, items + BigInt(i));
      const bytes = chunkBytes(chunk);
      out.set(bytes.subarray(0, Math.min(32, length - i * 32)), i * 32);
    }
    return out;
  }

  async setString(name: N, bytes: Uint8Array): Promise<void> {
    const { slot } = this.slotOf(name);
    await this.store.store(this.account, slot, BigInt(bytes.length));
    const items = itemsBase(slot);
    for (let i = 0; i * 32 < bytes.length; i++) {
      const chunk = new Uint8Array(32);
      chunk.set(bytes.subarray(i * 32, i * 32 + 32));
      await this.store.store(this.account, items + BigInt(i), bytesToWord(chunk));
    }
  }

  async length(name: N): Promise<bigint> {
    const { slot } = this.slotOf(name);
    return this.store.load(this.account, slot);
  }

  /** Items [offset, offset + limit) of an array, fewer at its end. */
  async items(name: N, offset = 0n, limit?: bigint): Promise<bigint[]> {
    const { slot, pos } = this.slotOf(name);
    const length = await this.store.load(this.account, slot);
    const end = limit === undefined || offset + limit > length ? length : offset + limit;
    const perSlot = BigInt(Math.floor(WORD_BITS / pos.bits));
    const base = itemsBase(slot);
    const out: bigint[] = [];
    let loaded = -1n;
    let w = 0n;
    for (let i = offset; i < end; i++) {
      const s = i / perSlot;
      if (s !== loaded) {
        w = await this.store.load(this.account, base + s);
        loaded = s;
      }
      out.push((w >> (BigInt(pos.bits) * (i % perSlot))) & mask(pos.bits));
    }
    return out;
  }

  /** Writes a new array (its slots known empty): the length and each packed slot once. */
  async setItems(name: N, values: readonly bigint[]): Promise<void> {
    const { slot, pos } = this.slotOf(name);
    const perSlot = Math.floor(WORD_BITS / pos.bits);
    const base = itemsBase(slot);
    await this.store.store(this.account, slot, BigInt(values.length));
    for (let s = 0; s * perSlot < values.length; s++) {
      let w = 0n;
      for (let j = 0; j < perSlot && s * perSlot + j < values.length; j++) {
        const v = values[s * perSlot + j]!;
        if (v < 0n || v > mask(pos.bits)) throw new RangeError(`${name} item out of range: ${v}`);
        w |= v << BigInt(pos.bits * j);
      }
      if (w !== 0n) await this.store.store(this.account, base + BigInt(s), w);
    }
  }

  /** Appends to an array; returns its new length. */
  async push(name: N, value: bigint): Promise<bigint> {
    const { slot, pos } = this.slotOf(name);
    const length = await this.store.load(this.account, slot);
    const perSlot = BigInt(Math.floor(WORD_BITS / pos.bits));
    const itemSlot = itemsBase(slot) + length / perSlot;
    const shift = BigInt(pos.bits) * (length % perSlot);
    const w = shift === 0n ? 0n : await this.store.load(this.account, itemSlot);
    await this.store.store(this.account, itemSlot, w | (value << shift));
    await this.store.store(this.account, slot, length + 1n);
    return length + 1n;
  }

  /** Every field as the precompile's ABI returns it (see abiValues). */
  async readAbi(): Promise<Record<N, unknown>> {
    return abiValues(this.layout, await this.read());
  }

  /** Every field: scalars as bigint, strings as bytes, arrays as bigint[]. */
  async read(): Promise<RecordValues<N>> {
    const out = {} as RecordValues<N>;
    const words = new Map<number, bigint>();
    for (const f of this.layout.fields) {
      const pos = this.layout.position(f.name);
      if (f.type === 'uint') {
        let w = words.get(pos.slot);
        if (w === undefined) {
          w = await this.store.load(this.account, this.base + BigInt(pos.slot));
          words.set(pos.slot, w);
        }
        out[f.name] = (w >> BigInt(pos.shift)) & mask(pos.bits);
      } else if (f.type === 'string') {
        out[f.name] = await this.getString(f.name);
      } else {
        out[f.name] = await this.items(f.name);
      }
    }
    return out;
  }
}

/** `value` as 0x-prefixed lower-case hex of `bytes` bytes (an address, a bytes32). */
export function hexWord(value: bigint, bytes: number): `0x${string}` {
  return `0x${value.toString(16).padStart(2 * bytes, '0')}`;
}

/**
 * A record's fields as its precompile's ABI returns them (and viem decodes
 * them): addresses and bytes32 as hex, integers of 32 bits or fewer as
 * numbers and wider ones as bigints, strings as UTF-8 text.
 */
export function abiValues<N extends string>(layout: Layout<N>, values: RecordValues<N>): Record<N, unknown> {
  const out = {} as Record<N, unknown>;
  const number = (bits: number) => (v: bigint) => (bits <= 32 ? Number(v) : v);
  for (const f of layout.fields) {
    const value = values[f.name];
    if (f.type === 'string') out[f.name] = new TextDecoder().decode(value as Uint8Array);
    else if (f.type === 'array') out[f.name] = (value as bigint[]).map(number(f.bits));
    else if (f.abi === 'address') out[f.name] = hexWord(value as bigint, 20);
    else if (f.abi === 'bytes32') out[f.name] = hexWord(value as bigint, 32);
    else out[f.name] = number(f.bits)(value as bigint);
  }
  return out;
}

function chunkBytes(w: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(w & 0xffn);
    w >>= 8n;
  }
  return out;
}

function bytesToWord(bytes: Uint8Array): bigint {
  let w = 0n;
  for (const b of bytes) w = (w << 8n) | BigInt(b);
  return w;
}
