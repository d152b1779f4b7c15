// The attribution row of `npm run bench`: recordInference with 10 and with
// 100 attributions through the Inferences precompile and through an
// equivalent plain Solidity contract (contracts/AttributionBaseline.sol), on
// the same node in the same run (--block-time 1): included tx/s and gas per
// call, medians of the runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  attributionTypes,
  datanetsAbi,
  inferencesAbi,
  modelsAbi,
  PRECOMPILES,
  signAttribution,
} from '@openledger/sdk';
import { attributionInterfaceSources, compileSolidity } from '@openledger/test-utils';
import { type Abi, type Address, encodeFunctionData, type Hex, keccak256, parseEther, toHex } from 'viem';
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import type { BenchOptions } from './args.js';
import { chainId, nonces, waitForReceipt } from './chain.js';
import { BENCH_ROOT, startNodeProcess } from './processes.js';
import { RpcClient } from './rpc.js';
import { presign, type Sender, signDeployment, type TxSpec } from './signing.js';
import { median } from './stats.js';
import { measureTxs, type TxMeasurement } from './workloads/measure-txs.js';

export const ATTRIBUTION_SIZES = [10, 100] as const;
const CONTRIBUTIONS = 100;
const PRICE = parseEther('0.001');
const SETUP_TIMEOUT_MS = 120_000;

type Impl = 'precompile' | 'solidity';

export type AttributionRun = { impl: Impl; attributions: number; run: number; measurement: TxMeasurement };

export type AttributionSummary = {
  attributions: number;
  txs: number;
  precompile: { txPerSec: number | null; gasPerCall: number | null };
  solidity: { txPerSec: number | null; gasPerCall: number | null };
};

export type AttributionResult = {
  runs: AttributionRun[];
  summary: AttributionSummary[];
  error: string | null;
};

function baseline(): { abi: readonly unknown[]; bytecode: Hex } {
  const source = readFileSync(join(BENCH_ROOT, 'contracts', 'AttributionBaseline.sol'), 'utf8');
  const compiled = compileSolidity({
    ...attributionInterfaceSources(),
    'AttributionBaseline.sol': source,
  }).AttributionBaseline;
  if (compiled === undefined) throw new Error('AttributionBaseline did not compile');
  return compiled;
}

/** Transactions per run for `n` attributions: about the same gas for both sizes. */
export function inferenceCount(opts: BenchOptions, n: number): number {
  return Math.max(20, Math.round(opts.txs / (n === 10 ? 5 : 40)));
}

export async function runAttributionBench(
  opts: BenchOptions,
  accounts: readonly PrivateKeyAccount[],
  progress: (line: string) => void,
): Promise<AttributionResult> {
  const runs: AttributionRun[] = [];
  const node = await startNodeProcess(1);
  const client = new RpcClient(node.rpcUrl);
  try {
    const id = await chainId(client);
    const senders: Sender[] = (
      await nonces(
        client,
        accounts.map((a) => a.address),
        'pending',
      )
    ).map((n, i) => ({ account: accounts[i]!, nextNonce: n }));
    const include = async (specs: TxSpec[], label: string, only?: Sender[]) => {
      const txs = await presign(id, only ?? senders, specs);
      const m = await measureTxs(client, txs, { ...sendOpts(opts), timeoutMs: SETUP_TIMEOUT_MS });
      if (m.succeeded !== txs.length)
        throw new Error(`setup: ${label}: ${m.succeeded}/${txs.length} succeeded`);
    };

    // The Solidity baseline, one datanet of 100 contributions and one model on each side.
    const { abi, bytecode } = baseline();
    const deployer = senders[0]!;
    const deployment = await signDeployment(id, deployer, bytecode, 6_000_000n);
    await client.request('eth_sendRawTransaction', [deployment.raw]);
    const deployed = await waitForReceipt(client, deployment.hash, SETUP_TIMEOUT_MS);
    const solidity = deployed.contractAddress as Address;
    if (Number(deployed.status) !== 1 || !solidity) throw new Error('setup: the baseline did not deploy');
    const both = (build: (to: Address, abiOf: 'p' | 's') => TxSpec): TxSpec[] => [
      build(PRECOMPILES.datanets, 'p'),
      build(solidity, 's'),
    ];
    await include(
      both((to, side) => ({
        to,
        value: 0n,
        gas: 500_000n,
        data: encodeFunctionData({
          abi: (side === 'p' ? datanetsAbi : abi) as typeof datanetsAbi,
          functionName: 'createDatanet',
          args: [keccak256(toHex('bench')), 'ipfs://bench/datanet', 0],
        }),
      })),
      'datanets',
      [deployer],
    );
    const contributions: TxSpec[] = [];
    for (let i = 0; i < CONTRIBUTIONS; i++) {
      for (const [to, side] of [
        [PRECOMPILES.datanets, 'p'],
        [solidity, 's'],
      ] as const) {
        contributions.push({
          to,
          value: 0n,
          gas: 500_000n,
          data: encodeFunctionData({
            abi: (side === 'p' ? datanetsAbi : abi) as typeof datanetsAbi,
            functionName: 'contribute',
            args: [1n, keccak256(toHex(`c${i}`)), BigInt(1_000 + i), `ipfs://bench/c${i}`],
          }),
        });
      }
    }
    await include(contributions, 'contributions');
    const operator = privateKeyToAccount(generatePrivateKey());
    await include(
      [
        {
          to: PRECOMPILES.models,
          value: 0n,
          gas: 1_000_000n,
          data: encodeFunctionData({
            abi: modelsAbi,
            functionName: 'registerModel',
            args: [
              {
                parentId: 0n,
                kind: 0,
                recipeHash: keccak256(toHex('recipe')),
                uri: 'ipfs://bench/model',
                datanetIds: [1n],
                datanetWeights: [1_000_000],
                price: PRICE,
                ownerBps: 7_000,
                contributorsBps: 2_000,
                protocolBps: 1_000,
                operator: operator.address,
              },
            ],
          }),
        },
        {
          to: solidity,
          value: 0n,
          gas: 1_000_000n,
          data: encodeFunctionData({
            abi: abi as Abi,
            functionName: 'registerModel',
            args: [[1n], [1_000_000], PRICE, operator.address],
          }),
        },
      ],
      'models',
      [deployer],
    );

    // The measured part: pre-signed inferences, each sender its own caller, one operator nonce each.
    let nonce = 0n;
    const inference = async (impl: Impl, sender: Sender, n: number): Promise<TxSpec> => {
      const ids = Array.from({ length: n }, (_, i) =>
        BigInt(i + 1 + ((Number(nonce) * 7) % (CONTRIBUTIONS - n + 1))),
      );
      const weights = ids.map((_, i) => Math.floor(1_000_000 / n) + (i < 1_000_000 % n ? 1 : 0));
      const message = {
        modelId: 1n,
        caller: sender.account.address,
        inputHash: keccak256(toHex(`in ${nonce}`)),
        outputHash: keccak256(toHex(`out ${nonce}`)),
        contributionIds: ids,
        weights,
        nonce: nonce++,
        deadline: BigInt(Math.floor(Date.now() / 1000) + 3_600),
      };
      const signature =
        impl === 'precompile'
          ? await signAttribution(operator, id, message)
          : await operator.signTypedData({
              domain: {
                name: 'OpenLedger Attribution',
                version: '1',
                chainId: id,
                verifyingContract: solidity,
              },
              types: attributionTypes,
              primaryType: 'Attribution',
              message,
            });
      const to = impl === 'precompile' ? PRECOMPILES.inferences : solidity;
      return {
        to,
        value: PRICE,
        gas: n === 10 ? 1_500_000n : 12_000_000n,
        data: encodeFunctionData({
          abi: (impl === 'precompile' ? inferencesAbi : abi) as typeof inferencesAbi,
          functionName: 'recordInference',
          args: [{ ...message, signature }],
        }),
      };
    };
    for (let run = 1; run <= opts.runs; run++) {
      for (const n of ATTRIBUTION_SIZES) {
        for (const impl of ['precompile', 'solidity'] as const) {
          const count = inferenceCount(opts, n);
          const specs: TxSpec[] = [];
          // Sign against the senders' next nonces: presign assigns them round-robin in the same order.
          for (let i = 0; i < count; i++) specs.push(await inference(impl, senders[i % senders.length]!, n));
          const txs = await presign(id, senders, specs);
          const measurement = await measureTxs(client, txs, sendOpts(opts));
          runs.push({ impl, attributions: n, run, measurement });
          const gas =
            measurement.succeeded > 0
              ? Number(BigInt(measurement.gasUsed) / BigInt(measurement.succeeded))
              : 0;
          progress(
            `[attribution] run ${run}/${opts.runs} ${n} attributions via ${impl}: ` +
              `${measurement.succeeded}/${count} in ${(measurement.elapsedMs / 1000).toFixed(2)} s = ` +
              `${measurement.txPerSec.toFixed(1)} tx/s, ${gas} gas/call`,
          );
        }
      }
    }
    return { runs, summary: summarize(runs), error: null };
  } catch (error) {
    return { runs, summary: summarize(runs), error: error instanceof Error ? error.message : String(error) };
  } finally {
    client.close();
    await node.stop();
  }
}

function sendOpts(opts: BenchOptions) {
  return {
    concurrency: opts.sendConcurrency,
    batchSize: opts.sendBatch,
    timeoutMs: opts.timeoutMs,
    nudgeStalledAfterMs: null,
  };
}

function summarize(runs: readonly AttributionRun[]): AttributionSummary[] {
  return ATTRIBUTION_SIZES.map((n) => {
    const of = (impl: Impl) => {
      const ms = runs.filter((r) => r.impl === impl && r.attributions === n).map((r) => r.measurement);
      const ok = ms.filter((m) => m.succeeded > 0);
      return {
        txPerSec: median(ok.map((m) => m.txPerSec)),
        gasPerCall: median(ok.map((m) => Number(BigInt(m.gasUsed) / BigInt(m.succeeded)))),
      };
    };
    const first = runs.find((r) => r.attributions === n);
    return {
      attributions: n,
      txs: first?.measurement.txs ?? 0,
      precompile: of('precompile'),
      solidity: of('solidity'),
    };
  });
}

/** The table printed after the modes' tables. */
export function formatAttribution(result: AttributionResult, opts: BenchOptions): string {
  const lines = [
    '',
    `Attribution (node, --block-time 1); median of ${opts.runs} run(s): recordInference through the precompile and through plain Solidity`,
  ];
  if (result.error !== null) lines.push(`  error: ${result.error}`);
  const rows = [['attributions', 'metric', 'precompile', 'Solidity', 'precompile/Solidity']];
  const f = (v: number | null, d: number) => (v === null ? '-' : v.toFixed(d));
  const ratio = (a: number | null, b: number | null) =>
    a === null || b === null || b === 0 ? '-' : (a / b).toFixed(2);
  for (const s of result.summary) {
    rows.push([
      `${s.attributions} (${s.txs} txs)`,
      'included tx/s',
      f(s.precompile.txPerSec, 1),
      f(s.solidity.txPerSec, 1),
      ratio(s.precompile.txPerSec, s.solidity.txPerSec),
    ]);
    rows.push([
      '',
      'gas per call',
      f(s.precompile.gasPerCall, 0),
      f(s.solidity.gasPerCall, 0),
      ratio(s.precompile.gasPerCall, s.solidity.gasPerCall),
    ]);
  }
  const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) {
    lines.push(
      `  ${r
        .map((t, c) => (c < 2 ? t.padEnd(widths[c]!) : t.padStart(widths[c]!)))
        .join('  ')
        .trimEnd()}`,
    );
  }
  return lines.join('\n');
}
