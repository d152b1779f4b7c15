// eth_ methods that read state, run calls, and submit transactions.
import { bytesToHex, setLengthLeft } from '@ethereumjs/util';
import type { MethodTable, RpcContext } from '../context.js';
import { ExecutionRevertedError, InvalidParamsError, ServerError } from '../errors.js';
import { formatProof, formatTx, qty } from '../format.js';
import { address, arity, blockRef, data, object, storageSlot } from '../params.js';
import { callArgs } from './call-args.js';
import { callOverrides } from './overrides.js';

/** Storage keys one eth_getProof or eth_getStorageValues may ask for. */
const MAX_PROOF_SLOTS = 1_000;

export function ethStateMethods(ctx: RpcContext): MethodTable {
  const { backend } = ctx;

  const stateAt = async (ref: unknown) => backend.state(await ctx.requireBlock(blockRef(ref)));

  /** `signer` when this node holds the key of `account`; else geth's "unknown account". */
  const withKeyOf = <T>(signer: T | undefined, account: string): T => {
    if (signer === undefined || !backend.accounts().includes(account))
      throw new ServerError(`unknown account ${account}`);
    return signer;
  };

  const signMessage = (account: unknown, message: unknown) => {
    const who = address(account, 'address').toString();
    const bytes = data(message, 'message', 1024 * 1024);
    return bytesToHex(withKeyOf(backend.signMessage, who)(who, bytes));
  };

  return {
    eth_chainId: (params) => {
      arity(params, 0, 0);
      return qty(backend.chainId);
    },
    // An archive devnet: every kind of data from genesis on, nothing deleted.
    eth_capabilities: (params) => {
      arity(params, 0, 0);
      const head = backend.head();
      const all = { disabled: false, oldestBlock: '0x0' };
      return {
        head: { number: qty(head.header.number), hash: bytesToHex(head.hash()) },
        state: all,
        tx: all,
        logs: all,
        receipts: all,
        blocks: all,
        stateproofs: all,
      };
    },
    eth_syncing: (params) => {
      arity(params, 0, 0);
      return false;
    },
    eth_accounts: (params) => {
      arity(params, 0, 0);
      return backend.accounts();
    },
    eth_coinbase: (params) => {
      arity(params, 0, 0);
      return backend.head().header.coinbase.toString();
    },
    eth_getBalance: async (params) => {
      arity(params, 1, 2);
      const who = address(params[0], 'address');
      const account = await (await stateAt(params[1])).getAccount(who);
      return qty(account?.balance ?? 0n);
    },
    eth_getCode: async (params) => {
      arity(params, 1, 2);
      const who = address(params[0], 'address');
      return bytesToHex(await (await stateAt(params[1])).getCode(who));
    },
    eth_getStorageAt: async (params) => {
      arity(params, 2, 3);
      const who = address(params[0], 'address');
      const slot = storageSlot(params[1], 'storage slot');
      const value = await (await stateAt(params[2])).getStorage(who, slot);
      return bytesToHex(setLengthLeft(value, 32));
    },
    eth_getTransactionCount: async (params) => {
      arity(params, 1, 2);
      const who = address(params[0], 'address');
      const ref = blockRef(params[1]);
      const state = await backend.state(await ctx.requireBlock(ref));
      const nonce = (await state.getAccount(who))?.nonce ?? 0n;
      if ('tag' in ref && ref.tag === 'pending') return qty(backend.pendingNonce(who.toString(), nonce));
      return qty(nonce);
    },
    eth_getProof: async (params) => {
      arity(params, 2, 3);
      const who = address(params[0], 'address');
      if (!Array.isArray(params[1]) || params[1].length > MAX_PROOF_SLOTS) {
        throw new InvalidParamsError(
          `invalid storage keys: expected an array of at most ${MAX_PROOF_SLOTS} keys`,
        );
      }
      const keys = params[1] as unknown[];
      const slots = keys.map((k, i) => storageSlot(k, `storage key ${i}`));
      const block = await ctx.requireBlock(blockRef(params[2]));
      const proof = await backend.proof(block, who, slots);
      return formatProof(
        who.toString(),
        proof,
        keys.map((k) => (k as string).toLowerCase()),
      );
    },
    eth_getStorageValues: async (params) => {
      arity(params, 1, 2);
      const requests = Object.entries(object(params[0], 'storage requests'));
      if (requests.length === 0) throw new InvalidParamsError('empty request');
      let total = 0;
      const parsed = requests.map(([who, keys]) => {
        if (!Array.isArray(keys))
          throw new InvalidParamsError(`invalid storage keys of ${who.slice(0, 42)}: expected an array`);
        total += keys.length;
        return {
          who: address(who, 'address'),
          slots: keys.map((k, i) => storageSlot(k, `storage key ${i}`)),
        };
      });
      if (total > MAX_PROOF_SLOTS)
        throw new InvalidParamsError(`too many storage keys: at most ${MAX_PROOF_SLOTS}`);
      const state = await stateAt(params[1]);
      const out: Record<string, string[]> = {};
      for (const [i, { who, slots }] of parsed.entries()) {
        const values = [];
        for (const slot of slots)
          values.push(bytesToHex(setLengthLeft(await state.getStorage(who, slot), 32)));
        out[requests[i]![0]] = values;
      }
      return out;
    },
    eth_createAccessList: async (params) => {
      arity(params, 1, 2);
      const args = callArgs(params[0]);
      const block = await ctx.requireBlock(blockRef(params[1] ?? 'latest'));
      const result = await backend.createAccessList(block, args);
      const out: Record<string, unknown> = { accessList: result.accessList, gasUsed: qty(result.gasUsed) };
      if (result.error !== undefined) out.error = result.error;
      return out;
    },
    eth_call: async (params) => {
      arity(params, 1, 4);
      const args = callArgs(params[0]);
      const block = await ctx.requireBlock(blockRef(params[1]));
      const result = await backend.call(block, args, callOverrides(params[2], params[3]));
      if (result.success) return bytesToHex(result.returnValue);
      if (result.reverted) throw new ExecutionRevertedError(result.returnValue);
      throw new ServerError(result.error ?? 'execution failed');
    },
    eth_estimateGas: async (params) => {
      arity(params, 1, 4);
      const args = callArgs(params[0]);
      const block = await ctx.requireBlock(blockRef(params[1] ?? 'latest'));
      return qty(await backend.estimateGas(block, args, callOverrides(params[2], params[3])));
    },
    eth_sendRawTransaction: async (params) => {
      arity(params, 1, 1);
      return backend.sendRawTransaction(data(params[0], 'transaction', 256 * 1024));
    },
    eth_sign: (params) => {
      arity(params, 2, 2);
      return signMessage(params[0], params[1]);
    },
    // The same signature with the parameters the other way round (what viem and MetaMask call).
    personal_sign: (params) => {
      arity(params, 2, 3);
      return signMessage(params[1], params[0]);
    },
    eth_signTransaction: async (params) => {
      arity(params, 1, 1);
      const args = callArgs(params[0]);
      const tx = await withKeyOf(backend.signTransaction, args.from.toString())(args);
      return { raw: bytesToHex(tx.serialize()), tx: formatTx(tx, args.from.bytes, undefined) };
    },
    eth_sendTransaction: async (params) => {
      arity(params, 1, 1);
      const args = callArgs(params[0]);
      const from = args.from.toString();
      // Devnet: an impersonated address sends without a key (anvil_impersonateAccount).
      if (backend.sendTransaction !== undefined && backend.dev?.impersonating(from) === true) {
        return backend.sendTransaction(args);
      }
      return withKeyOf(backend.sendTransaction, from)(args);
    },
  };
}
