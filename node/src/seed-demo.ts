// `openledger devnet --seed-demo`: a small attribution graph written by the
// dev accounts through ordinary transactions, so that a new user sees
// datanets, contributions, a completed training job, a model and a LoRA
// adapter, and inferences with attributions at once. Seeds only an empty graph.
import type { Common } from '@ethereumjs/common';
import { createTx } from '@ethereumjs/tx';
import { createAddressFromString, hexToBytes } from '@ethereumjs/util';
import type { DevAccount, Logger } from '@openledger/core';
import { AttributionReader, type Chain } from '@openledger/execution';
import {
  datanetsAbi,
  inferencesAbi,
  modelsAbi,
  PRECOMPILES,
  signAttribution,
  trainingAbi,
} from '@openledger/sdk';
import type { BlockProducer, TxPool } from '@openledger/sequencer';
import { type Abi, encodeFunctionData, type Hex, keccak256, parseEther, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

export interface SeedDeps {
  chain: Chain;
  common: Common;
  pool: TxPool;
  producer: BlockProducer;
  accounts: readonly DevAccount[];
  logger: Logger;
}

interface Call {
  from: DevAccount;
  to: Hex;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  value?: bigint;
}

const GAS = 3_000_000n;
const hash = (s: string) => keccak256(toHex(s));

/** What the demo wrote, for the banner. */
export interface SeedSummary {
  datanets: bigint;
  contributions: bigint;
  models: bigint;
  inferences: bigint;
  trainingJobs: bigint;
}

export async function seedDemo(deps: SeedDeps): Promise<SeedSummary | undefined> {
  const { chain, accounts } = deps;
  const reader = async () => new AttributionReader(await chain.readerAt(chain.head));
  if ((await (await reader()).counts()).datanet > 0n) {
    deps.logger.info('the attribution graph is not empty: --seed-demo left it as it is');
    return undefined;
  }
  if (accounts.length === 0) throw new Error('--seed-demo needs dev accounts (--accounts 1 or more)');
  const who = (i: number) => accounts[i % accounts.length]!;
  const [owner, bob, carol, trainer, operator, user] = [0, 1, 2, 3, 4, 5].map(who) as [
    DevAccount,
    DevAccount,
    DevAccount,
    DevAccount,
    DevAccount,
    DevAccount,
  ];
  const nonces = new Map<string, bigint>();

  /** Sends one block's worth of calls and mines it; every call must succeed. */
  const step = async (calls: Call[]) => {
    const head = chain.head;
    const state = await chain.readerAt(head);
    const baseFee = head.header.calcNextBaseFee();
    const hashes: Uint8Array[] = [];
    for (const c of calls) {
      const nonce =
        nonces.get(c.from.address) ??
        (await state.getAccount(createAddressFromString(c.from.address)))?.nonce ??
        0n;
      nonces.set(c.from.address, nonce + 1n);
      const data = encodeFunctionData({ abi: c.abi, functionName: c.functionName, args: c.args } as never);
      const tx = createTx(
        {
          type: 2,
          nonce,
          to: createAddressFromString(c.to),
          value: c.value ?? 0n,
          data: hexToBytes(data),
          gasLimit: GAS,
          maxFeePerGas: baseFee * 2n + 1_000_000_000n,
          maxPriorityFeePerGas: 1_000_000_000n,
          chainId: deps.common.chainId(),
        },
        { common: deps.common },
      ).sign(hexToBytes(c.from.privateKey as Hex));
      await deps.pool.add(tx);
      hashes.push(tx.hash());
    }
    // Automine may have built the block already; otherwise build it now.
    if (deps.pool.size > 0) await deps.producer.mine();
    for (const [i, h] of hashes.entries()) {
      const at = await chain.txLocation(h);
      const receipt = at === undefined ? undefined : (await chain.receipts(at.block))[at.index];
      if (receipt?.status !== 1) throw new Error(`--seed-demo: ${calls[i]!.functionName} failed`);
    }
  };
  const datanets = (functionName: string, from: DevAccount, ...args: unknown[]): Call => ({
    from,
    to: PRECOMPILES.datanets,
    abi: datanetsAbi,
    functionName,
    args,
  });

  // Two datanets: one open, one whose owner reviews contributions.
  await step([
    datanets('createDatanet', owner, hash('medical-qa'), 'ipfs://demo/datanets/medical-qa', 0),
    datanets('createDatanet', owner, hash('legal-contracts'), 'ipfs://demo/datanets/legal-contracts', 1),
  ]);
  await step([
    datanets('contribute', bob, 1n, hash('medqa-1'), 48_000n, 'ipfs://demo/contributions/medqa-1'),
    datanets('contribute', carol, 1n, hash('medqa-2'), 32_000n, 'ipfs://demo/contributions/medqa-2'),
    datanets('contribute', bob, 2n, hash('legal-1'), 20_000n, 'ipfs://demo/contributions/legal-1'),
    datanets('contribute', carol, 2n, hash('legal-2'), 10_000n, 'ipfs://demo/contributions/legal-2'),
  ]);
  await step([
    datanets('reviewContribution', owner, 3n, true),
    datanets('reviewContribution', owner, 4n, false),
  ]);
  // A base model on both datanets, signed for by the operator.
  const split = { ownerBps: 7_000, contributorsBps: 2_000, protocolBps: 1_000 };
  await step([
    {
      from: owner,
      to: PRECOMPILES.models,
      abi: modelsAbi,
      functionName: 'registerModel',
      args: [
        {
          parentId: 0n,
          kind: 0,
          recipeHash: hash('base-model-recipe'),
          uri: 'ipfs://demo/models/clinical-assistant',
          datanetIds: [1n, 2n],
          datanetWeights: [700_000, 300_000],
          price: parseEther('0.01'),
          operator: operator.address,
          ...split,
        },
      ],
    },
  ]);
  // A training job: a LoRA adapter of model 1 on the medical datanet, accepted and completed.
  const deadline = chain.head.header.timestamp + 86_400n;
  await step([
    {
      from: user,
      to: PRECOMPILES.training,
      abi: trainingAbi,
      functionName: 'requestTraining',
      args: [
        {
          baseModelId: 1n,
          kind: 1,
          recipeHash: hash('lora-recipe'),
          datanetIds: [1n],
          datanetWeights: [1_000_000],
          deadline,
          trainerBps: 6_000,
          contributorsBps: 3_000,
        },
      ],
      value: parseEther('5'),
    },
  ]);
  await step([
    { from: trainer, to: PRECOMPILES.training, abi: trainingAbi, functionName: 'acceptTraining', args: [1n] },
  ]);
  await step([
    {
      from: trainer,
      to: PRECOMPILES.training,
      abi: trainingAbi,
      functionName: 'completeTraining',
      args: [
        1n,
        {
          uri: 'ipfs://demo/models/clinical-lora',
          price: parseEther('0.002'),
          operator: operator.address,
          ...split,
        },
      ],
    },
  ]);
  // Inferences on the model and on the adapter, attributed by the operator.
  const signer = privateKeyToAccount(operator.privateKey as Hex);
  const inference = async (modelId: bigint, ids: bigint[], weights: number[], price: bigint, n: bigint) => {
    const message = {
      modelId,
      caller: user.address as Hex,
      inputHash: hash(`prompt ${n}`),
      outputHash: hash(`answer ${n}`),
      contributionIds: ids,
      weights,
      nonce: n,
      deadline,
    };
    const signature = await signAttribution(signer, deps.common.chainId(), message);
    return {
      from: user,
      to: PRECOMPILES.inferences,
      abi: inferencesAbi,
      functionName: 'recordInference',
      args: [{ ...message, signature }],
      value: price,
    } satisfies Call;
  };
  await step([
    await inference(1n, [1n, 2n, 3n], [600_000, 300_000, 100_000], parseEther('0.01'), 1n),
    await inference(2n, [1n, 2n], [500_000, 500_000], parseEther('0.002'), 2n),
  ]);
  const counts = await (await reader()).counts();
  const summary = {
    datanets: counts.datanet,
    contributions: counts.contribution,
    models: counts.model,
    inferences: counts.inference,
    trainingJobs: counts.trainingJob,
  };
  deps.logger.info(summary, 'seeded the demo attribution graph');
  return summary;
}
