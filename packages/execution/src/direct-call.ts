// eth_call's fast path: a plain call (no value, fees, gas, access list or
// authorizations: what wallets send most) runs its message directly on the
// call VM, as runTx would run it, without building and validating a
// transaction. calls.ts decides when; the full path answers everything else.
import type { Block } from '@ethereumjs/block';
import type { EVM, Message } from '@ethereumjs/evm';
import { Account, bytesToUnprefixedHex, equalsBytes, KECCAK256_NULL } from '@ethereumjs/util';
import type { VM } from '@ethereumjs/vm';
import { type CallOutcome, type CallRequest, callOutcome } from '@openledger/core';
import { DeadlineExceeded } from './deadline.js';

interface BalanceWrites {
  _reduceSenderBalance(account: Account, message: Message): Promise<void>;
  _addToBalance(account: Account, message: Message): Promise<void>;
}

/**
 * While `active()`, the top frame of a call that moves no value does not
 * write the sender's and the recipient's unchanged balances back. EthereumJS
 * writes both (an RLP encoding into the cache each, which the next read
 * decodes again): a tenth of a token read. Nothing a call runs can tell the
 * difference. The only account such a write could create is an empty one,
 * and since EIP-161 every opcode treats an empty account as an absent one
 * (BALANCE 0, EXTCODESIZE 0, EXTCODEHASH 0, CALL's new-account charge goes
 * by emptiness). The touch the write records only matters to a
 * transaction's end, and a call's writes are all reverted. Nested frames keep
 * EthereumJS's writes.
 */
export function skipZeroValueTopWrites(evm: EVM, active: () => boolean): void {
  const writes = evm as unknown as BalanceWrites;
  for (const name of ['_reduceSenderBalance', '_addToBalance'] as const) {
    const original = writes[name].bind(evm);
    writes[name] = (account, message) =>
      message.value === 0n && message.depth === 0 && active()
        ? Promise.resolve()
        : original(account, message);
  }
}

/** A way of running a plain call; undefined when it does not apply and another path must answer. */
export type CallPath = (
  vm: VM,
  context: Block,
  req: CallRequest,
  gas: bigint,
) => Promise<CallOutcome | undefined>;

function intrinsicGas(common: VM['common'], data: Uint8Array): bigint {
  let zeros = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === 0) zeros++;
  return (
    common.param('txGas') +
    BigInt(zeros) * common.param('txDataZeroGas') +
    BigInt(data.length - zeros) * common.param('txDataNonZeroGas')
  );
}

/**
 * The sender and the intrinsic gas of a plain call that may run as a message
 * of its own; undefined when the sender has code (runTx refuses it,
 * EIP-3607, or it is an EIP-7702 delegation whose nonce could matter) or the
 * gas does not cover the intrinsic cost: the full path answers those.
 */
export async function plainCallStart(
  vm: VM,
  req: CallRequest,
  gas: bigint,
): Promise<{ sender: Account | undefined; intrinsic: bigint } | undefined> {
  const sender = await vm.stateManager.getAccount(req.from);
  if (sender !== undefined && !equalsBytes(sender.codeHash, KECCAK256_NULL)) return undefined;
  const intrinsic = intrinsicGas(vm.common, req.data);
  return gas < intrinsic ? undefined : { sender, intrinsic };
}

const ABSENT_SENDER_BUMPED = new Account(1n).serialize();

/**
 * What an absent sender becomes for a call: nonce 1 and nothing else. Calls
 * that name no sender come from the zero address, absent on most chains, so
 * its encoding is made once instead of per call (encodings are never changed
 * in place, and the call VM decodes each one once: read-cache.ts).
 */
function absentSenderBumped(): Account {
  const account = new Account(1n);
  account.serialize = () => ABSENT_SENDER_BUMPED;
  return account;
}

interface JournalSets {
  journal: Map<string, unknown>;
  alwaysWarmJournal: Map<string, Set<string>>;
  isWarmedAddress(address: Uint8Array): boolean;
}

/**
 * EIP-2929 makes the precompiles warm in every transaction; runTx lists
 * them in the journal's warm set each time, and a plain call would have to
 * as well (copying a map of them costs as much as a tenth of a token
 * read). The call VM's journal answers for them instead: an address is warm
 * when the journal or its always-warm set holds it, or it is an active
 * precompile and EIP-2929 is on. Only lookups change; the sets are as before.
 */
export function precompilesAlwaysWarm(evm: EVM): void {
  const journal = evm.journal as unknown as JournalSets;
  const common = evm.common;
  journal.isWarmedAddress = (address: Uint8Array) => {
    const hex = bytesToUnprefixedHex(address);
    return (
      journal.journal.has(hex) ||
      journal.alwaysWarmJournal.has(hex) ||
      (evm.precompiles.has(hex) && common.isActivatedEIP(2929))
    );
  };
}

/**
 * A plain call's message run as runTx would run it (intrinsic gas taken off,
 * the sender, the recipient, the fee recipient and the precompiles warm,
 * the warm sets cleared after) without building and validating a transaction, which
 * costs a third of a token read. Undefined when the sender has code (an
 * EIP-7702 delegation: its nonce could matter) or the gas does not cover
 * the intrinsic cost; the full path answers those.
 */
export const directCall: CallPath = async (vm, context, req, gas) => {
  const to = req.to!;
  const start = await plainCallStart(vm, req, gas);
  if (start === undefined) return undefined;
  const { sender, intrinsic } = start;
  const common = vm.common;
  const journal = vm.evm.journal;
  await journal.checkpoint();
  try {
    // The journal's own addAlwaysWarmAddress checks each address with a regular expression; these are
    // known hex. The precompiles are warm already (precompilesAlwaysWarm).
    const warm = (journal as unknown as JournalSets).alwaysWarmJournal;
    for (const address of [req.from, to, ...(common.isActivatedEIP(3651) ? [context.header.coinbase] : [])]) {
      const hex = bytesToUnprefixedHex(address.bytes);
      if (!warm.has(hex)) warm.set(hex, new Set());
    }
    // runTx bumps the sender's nonce even when it does not check it, as geth and revm do, so a sender
    // that is absent or empty takes part as an account that exists (EXTCODEHASH of CALLER is the
    // empty code's hash, not 0). Any other sender's nonce is invisible to the call: no write.
    if (sender === undefined) await journal.putAccount(req.from, absentSenderBumped());
    else if (sender.isEmpty()) {
      await journal.putAccount(req.from, new Account(1n, 0n, sender.storageRoot, sender.codeHash));
    }
    const result = await vm.evm.runCall({
      block: context,
      gasPrice: 0n,
      caller: req.from,
      origin: req.from,
      gasLimit: gas - intrinsic,
      to,
      value: 0n,
      data: req.data,
      skipNonceIncrement: true,
    });
    // runTx's cleanup would also delete touched empty accounts (EIP-161): the revert undoes all writes anyway.
    journal.cleanJournal();
    await journal.revert();
    return callOutcome(result.execResult, intrinsic + result.execResult.executionGasUsed);
  } catch (err) {
    // Stopped by the deadline: the executor drops this VM; anything else: undo, then report.
    if (!(err instanceof DeadlineExceeded)) await journal.revert();
    throw err;
  }
};
