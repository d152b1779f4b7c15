// Property tests of the attribution precompiles: random sequences of calls, valid and broken, by
// random users; after each call the chain state alone must show OPEN conserved, rewards and escrows
// fully backed, every recorded attribution valid, and a failed call leaving no trace.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { commands, happyPath, NUM_RUNS } from './attribution-commands.js';
import { Run, stats } from './attribution-run.js';

describe('attribution precompiles, property-based', () => {
  it('conserve OPEN, back every reward, keep attributions valid and leave no trace of a failed call', async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const run = await Run.start();
        for (const cmd of cmds) await run.run(cmd);
      }),
      { numRuns: NUM_RUNS, examples: [[happyPath]] },
    );
    const summary = [...stats.tally.entries()]
      .map(([op, c]) => `${op} ${c.ok}/${c.ok + c.failed}`)
      .join(', ');
    console.log(
      `# ${NUM_RUNS + 1} runs in ${Date.now() - started} ms; ok/calls: ${summary}; out of gas: ${stats.outOfGas}`,
    );
    // The generators reach every success path (the happy path run guarantees it) and every kind of failure.
    for (const op of [
      'createDatanet',
      'contribute',
      'review',
      'registerModel',
      'recordInference',
      'requestTraining',
      'acceptTraining',
      'completeTraining',
      'cancelTraining',
      'refundExpired',
      'settle',
      'claim',
    ]) {
      assert.ok((stats.tally.get(op)?.ok ?? 0) > 0, `${op} succeeded at least once`);
    }
    assert.ok(stats.outOfGas > 0, 'an inference ran out of gas');
    assert.ok((stats.tally.get('relayRevert')?.failed ?? 0) > 0);
  });
});
