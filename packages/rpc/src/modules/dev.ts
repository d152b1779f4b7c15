// Devnet helpers under the names anvil and hardhat use: mine a block now,
// fix the next block's timestamp, move the clock forward.
import { bytesToHex } from '@ethereumjs/util';
import type { AccountOverride } from '@openledger/core';
import type { DevControls } from '../backend.js';
import type { MethodTable } from '../context.js';
import { InvalidParamsError } from '../errors.js';
import { qty } from '../format.js';
import { address, arity, bool, data, looseQuantity, storageSlot } from '../params.js';

/** A timestamp or a number of seconds: hex quantity or a JSON number (hardhat sends both). */
function seconds(value: unknown, name: string): bigint {
  const n = looseQuantity(value, name);
  if (n >= 2n ** 63n) throw new InvalidParamsError(`invalid ${name}: too large`);
  return n;
}

/** Blocks one anvil_mine may build. */
const MAX_MINE = 10_000;

async function mineBlocks(dev: DevControls, params: readonly unknown[]): Promise<null> {
  arity(params, 0, 2);
  const count = params[0] == null ? 1n : looseQuantity(params[0], 'blocks');
  const interval = params[1] == null ? undefined : seconds(params[1], 'interval');
  if (count > BigInt(MAX_MINE)) throw new InvalidParamsError(`at most ${MAX_MINE} blocks at once`);
  for (let i = 0n; i < count; i++) {
    if (interval !== undefined && i > 0n) dev.increaseTime(interval);
    await dev.mine(undefined);
  }
  return null;
}

/** anvil_/hardhat_ setBalance, setNonce, setCode, setStorageAt: each a state edit in a block of its own. */
function stateSetters(dev: DevControls, prefix: 'anvil' | 'hardhat'): MethodTable {
  const edit = async (who: unknown, o: AccountOverride) => {
    await dev.editState(new Map([[address(who, 'address').toString(), o]]));
  };
  return {
    [`${prefix}_setBalance`]: async (params) => {
      arity(params, 2, 2);
      await edit(params[0], { balance: looseQuantity(params[1], 'balance') });
      return null;
    },
    [`${prefix}_setNonce`]: async (params) => {
      arity(params, 2, 2);
      await edit(params[0], { nonce: looseQuantity(params[1], 'nonce') });
      return null;
    },
    [`${prefix}_setCode`]: async (params) => {
      arity(params, 2, 2);
      await edit(params[0], { code: data(params[1], 'code', 24_576 * 2) });
      return null;
    },
    [`${prefix}_setStorageAt`]: async (params) => {
      arity(params, 3, 3);
      const slot = storageSlot(params[1], 'slot');
      const value = storageSlot(params[2], 'value');
      await edit(params[0], { stateDiff: new Map([[BigInt(bytesToHex(slot)), BigInt(bytesToHex(value))]]) });
      return true;
    },
  };
}

/** anvil_/hardhat_ impersonateAccount and stopImpersonatingAccount (hardhat's answer true, anvil's null). */
function impersonation(dev: DevControls, prefix: 'anvil' | 'hardhat'): MethodTable {
  const answer = prefix === 'anvil' ? null : true;
  return {
    [`${prefix}_impersonateAccount`]: (params) => {
      arity(params, 1, 1);
      dev.impersonate(address(params[0], 'address').toString(), true);
      return answer;
    },
    [`${prefix}_stopImpersonatingAccount`]: (params) => {
      arity(params, 1, 1);
      dev.impersonate(address(params[0], 'address').toString(), false);
      return answer;
    },
  };
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
    ...stateSetters(dev, 'anvil'),
    ...stateSetters(dev, 'hardhat'),
    ...impersonation(dev, 'anvil'),
    ...impersonation(dev, 'hardhat'),
    anvil_autoImpersonateAccount: (params) => {
      arity(params, 1, 1);
      dev.autoImpersonate(bool(params[0], 'enabled'));
      return null;
    },
    anvil_mine: async (params) => mineBlocks(dev, params),
    hardhat_mine: async (params) => mineBlocks(dev, params),
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
