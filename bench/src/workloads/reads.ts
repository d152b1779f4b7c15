// Read workloads beside eth_call: eth_getBalance over many accounts,
// eth_getProof of token storage, and eth_getLogs returning 10,000 logs.
import { compileSolidity } from '@openledger/test-utils';
import { type Address, encodeAbiParameters, encodeFunctionData, type Hex, keccak256 } from 'viem';
import { freshAddresses } from '../accounts.js';
import { waitForReceipt } from '../chain.js';
import { presign, signDeployment } from '../signing.js';
import type { ReadSpec } from './measure-calls.js';
import { type ReadWorkload, requireToken, sendersAt, type WorkloadContext } from './workload.js';

const opts = (ctx: WorkloadContext) => ({
  concurrency: ctx.sizes.callConcurrency,
  timeoutMs: ctx.sizes.timeoutMs,
});
const isQuantity = (r: unknown) => typeof r === 'string' && /^0x[0-9a-f]+$/.test(r);

export const balanceReads: ReadWorkload = {
  name: 'balance',
  title: 'eth_getBalance',
  kind: 'calls',
  needsToken: false,
  async prepare(ctx) {
    const owners = [...ctx.accounts.map((a) => a.address), ...freshAddresses(256)];
    const reads: ReadSpec[] = Array.from({ length: ctx.sizes.calls }, (_, i) => ({
      method: 'eth_getBalance',
      params: [owners[i % owners.length], 'latest'],
      valid: isQuantity,
    }));
    return { client: ctx.client, reads, opts: opts(ctx) };
  },
};

/** The token's `balanceOf` slot of `owner` (the mapping is the token's slot 3). */
function balanceSlot(owner: Address): Hex {
  return keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [owner, 3n]));
}

export const proofReads: ReadWorkload = {
  name: 'proof',
  title: 'eth_getProof (account + 2 slots)',
  kind: 'calls',
  needsToken: true,
  async prepare(ctx) {
    const token = requireToken(ctx);
    const owners = ctx.accounts.map((a) => a.address);
    const reads: ReadSpec[] = Array.from({ length: ctx.sizes.calls }, (_, i) => ({
      method: 'eth_getProof',
      params: [
        token,
        [balanceSlot(owners[i % owners.length]!), balanceSlot(owners[(i + 1) % owners.length]!)],
        'latest',
      ],
      valid: (r) =>
        typeof r === 'object' && r !== null && Array.isArray((r as { accountProof?: unknown }).accountProof),
    }));
    return { client: ctx.client, reads, opts: opts(ctx) };
  },
};

const EMITTER = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
contract Emitter {
    event Tick(uint256 indexed round, uint256 value);
    function emitMany(uint256 round, uint256 n) external {
        for (uint256 i = 0; i < n; i++) emit Tick(round, i);
    }
}`;

const LOG_TXS = 10;
const LOGS_PER_TX = 1_000;
/** eth_getLogs requests per run: each returns 10,000 logs (megabytes of JSON). */
const LOG_QUERIES = 40;
/** Each answer is megabytes of JSON: a few at a time. */
const LOG_CONCURRENCY = 4;

export const logReads: ReadWorkload = {
  name: 'logs',
  title: `eth_getLogs (${LOG_TXS * LOGS_PER_TX} logs)`,
  kind: 'calls',
  needsToken: false,
  async prepare(ctx) {
    const emitter = compileSolidity({ 'Emitter.sol': EMITTER }).Emitter;
    if (emitter === undefined) throw new Error('Emitter missing from solc output');
    const senders = await sendersAt(ctx);
    const deployer = senders[0]!;
    const deploy = await signDeployment(ctx.chainId, deployer, emitter.bytecode, 500_000n);
    await ctx.client.request('eth_sendRawTransaction', [deploy.raw]);
    const address = (await waitForReceipt(ctx.client, deploy.hash, ctx.sizes.timeoutMs))
      .contractAddress as Address;
    const specs = Array.from({ length: LOG_TXS }, (_, round) => ({
      to: address,
      value: 0n,
      gas: 3_000_000n,
      data: encodeFunctionData({
        abi: emitter.abi,
        functionName: 'emitMany',
        args: [BigInt(round), BigInt(LOGS_PER_TX)],
      }),
    }));
    // Setup, not measured: ten transactions, sent together (one 1 s block holds them all).
    const txs = await presign(ctx.chainId, [deployer], specs);
    for (const tx of txs) await ctx.client.request('eth_sendRawTransaction', [tx.raw]);
    for (const tx of txs) await waitForReceipt(ctx.client, tx.hash, ctx.sizes.timeoutMs);
    const reads: ReadSpec[] = Array.from({ length: LOG_QUERIES }, () => ({
      method: 'eth_getLogs',
      params: [{ fromBlock: '0x0', toBlock: 'latest', address }],
      valid: (r) => Array.isArray(r) && r.length === LOG_TXS * LOGS_PER_TX,
    }));
    return { client: ctx.client, reads, opts: { ...opts(ctx), concurrency: LOG_CONCURRENCY, alone: 10 } };
  },
};
