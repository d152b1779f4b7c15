// A benchmark target: a started process (node or anvil) plus what workloads need from it (chain id, token).
import type { Address } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import { chainId, nonces, waitForReceipt } from './chain.js';
import { deployData, transferData } from './erc20.js';
import { type RunningProcess, startAnvilProcess, startNodeProcess } from './processes.js';
import { RpcClient } from './rpc.js';
import { presign, type Sender, signDeployment } from './signing.js';

export const TARGET_NAMES = ['node', 'anvil'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export const MODE_NAMES = ['block1', 'automine'] as const;
export type ModeName = (typeof MODE_NAMES)[number];

const TOKEN_DEPLOY_GAS = 2_000_000n;
const TOKEN_SETUP_TIMEOUT_MS = 60_000;
const TOKENS_PER_HOLDER = 10n ** 30n;

export type Target = {
  name: TargetName;
  process: RunningProcess;
  client: RpcClient;
  chainId: number;
  token: Address | null;
};

export function blockTimeOf(mode: ModeName): number {
  return mode === 'block1' ? 1 : 0;
}

export async function startTarget(
  name: TargetName,
  mode: ModeName,
  accounts: readonly PrivateKeyAccount[],
  withToken: boolean,
): Promise<Target> {
  const blockTime = blockTimeOf(mode);
  const process = name === 'node' ? await startNodeProcess(blockTime) : await startAnvilProcess(blockTime);
  try {
    const client = new RpcClient(process.rpcUrl);
    const id = await chainId(client);
    const token = withToken ? await setUpToken(client, id, accounts) : null;
    return { name, process, client, chainId: id, token };
  } catch (error) {
    await process.stop();
    throw error;
  }
}

/** Deploys the token from the first account, then gives every other account an equal share. */
async function setUpToken(
  client: RpcClient,
  id: number,
  accounts: readonly PrivateKeyAccount[],
): Promise<Address> {
  const deployer = accounts[0];
  if (deployer === undefined) throw new Error('no dev account to deploy the token');
  const [nonce] = await nonces(client, [deployer.address], 'pending');
  const sender: Sender = { account: deployer, nextNonce: nonce ?? 0 };
  const supply = TOKENS_PER_HOLDER * BigInt(accounts.length);
  const deployment = await signDeployment(id, sender, deployData(supply), TOKEN_DEPLOY_GAS);
  await client.request('eth_sendRawTransaction', [deployment.raw]);
  const receipt = await waitForReceipt(client, deployment.hash, TOKEN_SETUP_TIMEOUT_MS);
  const token = receipt.contractAddress;
  if (Number(receipt.status) !== 1 || !token) {
    throw new Error(`token deployment failed: status ${receipt.status}, contract ${receipt.contractAddress}`);
  }
  const shares = accounts.slice(1).map((holder) => ({
    to: token,
    value: 0n,
    gas: 100_000n,
    data: transferData(holder.address, TOKENS_PER_HOLDER),
  }));
  const transfers = await presign(id, [sender], shares);
  for (const tx of transfers) await client.request('eth_sendRawTransaction', [tx.raw]);
  for (const tx of transfers) {
    const r = await waitForReceipt(client, tx.hash, TOKEN_SETUP_TIMEOUT_MS);
    if (Number(r.status) !== 1) throw new Error(`token share transfer ${tx.hash} failed`);
  }
  return token;
}
