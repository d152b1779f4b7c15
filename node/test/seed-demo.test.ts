// `openledger devnet --seed-demo`: the demo graph is there at once, complete
// (a trained LoRA adapter, attributed inferences, rewards), and a restart
// with the flag does not write it twice.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEV_ACCOUNTS, type DevnetHandle, startDevnet } from '@openledger/test-utils';
import { rpcResult } from './support/devnet-client.js';

describe('--seed-demo', { timeout: 90_000 }, () => {
  let devnet: DevnetHandle;
  let dataDir: string;
  const rpc = <T>(method: string, params: unknown[] = []) => rpcResult<T>(devnet.rpcUrl, method, params);

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'openledger-seed-'));
    devnet = await startDevnet({ blockTime: 2, dataDir, args: ['--seed-demo'] });
  });

  after(async () => {
    await devnet?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes datanets, contributions, a completed training job, a model, a LoRA adapter and inferences', async () => {
    assert.deepEqual(await rpc('ol_getCounts'), {
      datanet: '0x2',
      contribution: '0x4',
      model: '0x2',
      inference: '0x2',
      trainingJob: '0x1',
    });
    const job = await rpc<Record<string, string>>('ol_getTrainingJob', ['0x1']);
    assert.deepEqual([job.status, job.modelId], ['completed', '0x2']);
    const adapter = await rpc<Record<string, string>>('ol_getModel', ['0x2']);
    assert.deepEqual([adapter.kind, adapter.parentId, adapter.trainingJobId], ['lora', '0x1', '0x1']);
    const inference = await rpc<{ attributions: unknown[] }>('ol_getInference', ['0x1']);
    assert.equal(inference.attributions.length, 3);
    const c4 = await rpc<Record<string, string>>('ol_getContribution', ['0x4']);
    assert.equal(c4.status, 'rejected');
    const c1 = await rpc<Record<string, string>>('ol_getContribution', ['0x1']);
    assert.ok(BigInt(c1.pendingTrainingReward!) > 0n, 'training rewards accrued');
    const bob = await rpc<{ claimable: string }>('ol_getRewards', [DEV_ACCOUNTS[1]!.address]);
    assert.ok(BigInt(bob.claimable) > 0n, 'inference fees credited');
    assert.match(devnet.output(), /Demo attribution graph/);
  });

  it('does not seed a graph that is not empty', async () => {
    const head = await rpc<string>('eth_blockNumber');
    assert.equal(await devnet.stop(), 0);
    devnet = await startDevnet({ blockTime: 2, dataDir, args: ['--seed-demo'] });
    assert.equal((await rpc<Record<string, string>>('ol_getCounts')).datanet, '0x2');
    assert.ok(BigInt(await rpc<string>('eth_blockNumber')) >= BigInt(head));
    assert.doesNotMatch(devnet.output(), /Demo attribution graph/);
  });
});
