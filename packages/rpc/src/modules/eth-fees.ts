// Fee methods: gas price and tip suggestions, fee history.
import type { Block } from '@ethereumjs/block';
import type { MethodTable, RpcContext } from '../context.js';
import { InvalidParamsError } from '../errors.js';
import { qty } from '../format.js';
import { arity, blockRef, looseQuantity } from '../params.js';

const GWEI = 1_000_000_000n;
/** Blocks the tip oracle samples, and transactions per block (geth: 20 blocks). */
const ORACLE_BLOCKS = 20;
const ORACLE_TXS_PER_BLOCK = 100;
const ORACLE_PERCENTILE = 60;
/** Most blocks one eth_feeHistory covers (geth: 1024). */
const MAX_FEE_HISTORY = 1024n;
const MAX_PERCENTILES = 100;

export function ethFeeMethods(ctx: RpcContext): MethodTable {
  const { backend } = ctx;

  const tips = async (block: Block) => {
    const baseFee = block.header.baseFeePerGas ?? 0n;
    const receipts = await backend.receipts(block);
    return block.transactions.map((tx, i) => ({
      tip: tx.getEffectivePriorityFee(baseFee),
      gasUsed: receipts[i]!.gasUsed,
    }));
  };

  /** geth's oracle: a percentile of the tips recent blocks paid; 1 gwei when they paid none. */
  const suggestTip = async (): Promise<bigint> => {
    const head = backend.head();
    const samples: bigint[] = [];
    for (let n = head.header.number, seen = 0; n >= 0n && seen < ORACLE_BLOCKS; n--, seen++) {
      const block = n === head.header.number ? head : await backend.blockByNumber(n);
      if (block === undefined) break;
      const blockTips = (await tips(block)).slice(0, ORACLE_TXS_PER_BLOCK).map((t) => t.tip);
      samples.push(...blockTips.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, 3));
    }
    if (samples.length === 0) return GWEI;
    samples.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return samples[Math.floor(((samples.length - 1) * ORACLE_PERCENTILE) / 100)]!;
  };

  return {
    eth_maxPriorityFeePerGas: async (params) => {
      arity(params, 0, 0);
      return qty(await suggestTip());
    },
    eth_gasPrice: async (params) => {
      arity(params, 0, 0);
      return qty((await suggestTip()) + backend.head().header.calcNextBaseFee());
    },
    eth_baseFee: (params) => {
      arity(params, 0, 0);
      return qty(backend.head().header.calcNextBaseFee());
    },
    eth_blobBaseFee: (params) => {
      arity(params, 0, 0);
      return qty(backend.head().header.calcNextBlobGasPrice(backend.head().common));
    },
    eth_feeHistory: async (params) => {
      arity(params, 2, 3);
      let count = looseQuantity(params[0], 'blockCount');
      if (count > MAX_FEE_HISTORY) count = MAX_FEE_HISTORY;
      const newest = await ctx.requireBlock(blockRef(params[1], 'newestBlock'));
      const percentiles =
        params[2] === undefined || params[2] === null ? undefined : parsePercentiles(params[2]);
      if (count > newest.header.number + 1n) count = newest.header.number + 1n;
      const oldest = newest.header.number + 1n - count;
      const baseFees: string[] = [];
      const ratios: number[] = [];
      const blobBaseFees: string[] = [];
      const blobRatios: number[] = [];
      const rewards: string[][] = [];
      const maxBlobGas = newest.common.param('maxBlobGasPerBlock');
      for (let n = oldest; n <= newest.header.number; n++) {
        const block = n === newest.header.number ? newest : await backend.blockByNumber(n);
        if (block === undefined) throw new InvalidParamsError(`block ${n} not found`);
        const h = block.header;
        baseFees.push(qty(h.baseFeePerGas ?? 0n));
        ratios.push(h.gasLimit === 0n ? 0 : Number(h.gasUsed) / Number(h.gasLimit));
        blobBaseFees.push(qty(h.getBlobGasPrice()));
        blobRatios.push(maxBlobGas === 0n ? 0 : Number(h.blobGasUsed ?? 0n) / Number(maxBlobGas));
        if (percentiles !== undefined) rewards.push(blockRewards(await tips(block), h.gasUsed, percentiles));
      }
      if (count > 0n) {
        baseFees.push(qty(newest.header.calcNextBaseFee()));
        blobBaseFees.push(qty(newest.header.calcNextBlobGasPrice(newest.common)));
      }
      const result: Record<string, unknown> = {
        oldestBlock: qty(oldest),
        baseFeePerGas: baseFees,
        gasUsedRatio: ratios,
        baseFeePerBlobGas: blobBaseFees,
        blobGasUsedRatio: blobRatios,
      };
      if (percentiles !== undefined) result.reward = rewards;
      return result;
    },
  };
}

function parsePercentiles(value: unknown): number[] {
  if (!Array.isArray(value) || value.length > MAX_PERCENTILES) {
    throw new InvalidParamsError(
      `invalid rewardPercentiles: expected an array of at most ${MAX_PERCENTILES} numbers`,
    );
  }
  let previous = -1;
  return value.map((p) => {
    if (typeof p !== 'number' || !(p >= 0 && p <= 100) || p < previous) {
      throw new InvalidParamsError('invalid rewardPercentiles: numbers from 0 to 100 in ascending order');
    }
    previous = p;
    return p;
  });
}

/** The tip at each percentile of the block's gas, as geth computes it. */
function blockRewards(
  txs: { tip: bigint; gasUsed: bigint }[],
  gasUsed: bigint,
  percentiles: number[],
): string[] {
  if (txs.length === 0) return percentiles.map(() => '0x0');
  const sorted = [...txs].sort((a, b) => (a.tip < b.tip ? -1 : a.tip > b.tip ? 1 : 0));
  const out: string[] = [];
  let i = 0;
  let sum = sorted[0]!.gasUsed;
  for (const p of percentiles) {
    const threshold = (Number(gasUsed) * p) / 100;
    while (Number(sum) < threshold && i < sorted.length - 1) {
      i++;
      sum += sorted[i]!.gasUsed;
    }
    out.push(qty(sorted[i]!.tip));
  }
  return out;
}
