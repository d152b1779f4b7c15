// Devnet helpers under the names anvil and hardhat use: mine a block now,
// fix the next block's timestamp, move the clock forward.
import type { DevControls } from '../backend.js';
import type { MethodTable } from '../context.js';
import { InvalidParamsError } from '../errors.js';
import { qty } from '../format.js';
import { arity, looseQuantity } from '../params.js';

/** A timestamp or a number of seconds: hex quantity or a JSON number (hardhat sends both). */
function seconds(value: unknown, name: string): bigint {
  const n = looseQuantity(value, name);
  if (n >= 2n ** 63n) throw new InvalidParamsError(`invalid ${name}: too large`);
  return n;
}

/** Snapshots kept at once; the oldest go first. */
const MAX_SNAPSHOTS = 1_000;

export function devMethods(dev: DevControls, head: () => bigint): MethodTable {
  // Snapshot id -> the head's number then. Ids only grow; a revert drops its snapshot and later ones.
  const snapshots = new Map<bigint, bigint>();
  let nextId = 1n;
  return {
    evm_snapshot: (params) => {
      arity(params, 0, 0);
      const id = nextId++;
      snapshots.set(id, head());
      if (snapshots.size > MAX_SNAPSHOTS) snapshots.delete(snapshots.keys().next().value!);
      return qty(id);
    },
    evm_revert: async (params) => {
      arity(params, 1, 1);
      const id = looseQuantity(params[0], 'snapshot id');
      const number = snapshots.get(id);
      if (number === undefined) return false;
      for (const key of [...snapshots.keys()]) if (key >= id) snapshots.delete(key);
      await dev.revertTo(number);
      return true;
    },
    evm_mine: async (params) => {
      arity(params, 0, 1);
      await dev.mine(
        params[0] === undefined || params[0] === null ? undefined : seconds(params[0], 'timestamp'),
      );
      return '0x0';
    },
    evm_setNextBlockTimestamp: (params) => {
      arity(params, 1, 1);
      dev.setNextBlockTimestamp(seconds(params[0], 'timestamp'));
      return null;
    },
    evm_increaseTime: (params) => {
      arity(params, 1, 1);
      return qty(dev.increaseTime(seconds(params[0], 'seconds')));
    },
  };
}
