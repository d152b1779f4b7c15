// The 2048-bit logs bloom of a receipt (yellow paper, section 4.3.1).
import { keccak_256 } from '@noble/hashes/sha3.js';
import type { LogData } from './backend.js';

export function logsBloom(logs: readonly LogData[]): Uint8Array {
  const bloom = new Uint8Array(256);
  const add = (value: Uint8Array) => {
    const h = keccak_256(value);
    for (let i = 0; i < 6; i += 2) {
      const bit = ((h[i]! << 8) | h[i + 1]!) & 2047;
      bloom[255 - (bit >> 3)]! |= 1 << (bit & 7);
    }
  };
  for (const [address, topics] of logs) {
    add(address);
    for (const topic of topics) add(topic);
  }
  return bloom;
}

/** Whether `bloom` may contain `value` (an address or a topic). */
export function bloomMayContain(bloom: Uint8Array, value: Uint8Array): boolean {
  const h = keccak_256(value);
  for (let i = 0; i < 6; i += 2) {
    const bit = ((h[i]! << 8) | h[i + 1]!) & 2047;
    if ((bloom[255 - (bit >> 3)]! & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}
