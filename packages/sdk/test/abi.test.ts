// contracts/*.sol and src/abi.ts describe the same precompiles: compiled with solc, each interface's ABI equals the TS one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attributionInterfaceSources, compileSolidity } from '@openledger/test-utils';
import type { Abi } from 'viem';
import { datanetsAbi, inferencesAbi, modelsAbi, openLedgerAbi, rewardsAbi, trainingAbi } from '../src/abi.js';

const sources = attributionInterfaceSources();

interface Param {
  name?: string | undefined;
  type: string;
  indexed?: boolean | undefined;
  components?: readonly Param[] | undefined;
}

/** What matters of a parameter: name, type, tuple components, and for events whether it is indexed. */
function param(p: Param, event: boolean): unknown {
  return {
    name: p.name ?? '',
    type: p.type,
    ...(event ? { indexed: p.indexed === true } : {}),
    ...(p.components === undefined ? {} : { components: p.components.map((c) => param(c, false)) }),
  };
}

/** An ABI as a sorted list of its items, keeping only what defines them (no internalType). */
function normalise(abi: Abi): unknown[] {
  return abi
    .map((item) => {
      switch (item.type) {
        case 'function':
          return {
            type: item.type,
            name: item.name,
            stateMutability: item.stateMutability,
            inputs: item.inputs.map((p) => param(p, false)),
            outputs: item.outputs.map((p) => param(p, false)),
          };
        case 'event':
          return {
            type: item.type,
            name: item.name,
            anonymous: item.anonymous === true,
            inputs: item.inputs.map((p) => param(p, true)),
          };
        case 'error':
          return { type: item.type, name: item.name, inputs: item.inputs.map((p) => param(p, false)) };
        default:
          return { type: item.type };
      }
    })
    .sort((a, b) => {
      const ka = `${a.type} ${'name' in a ? a.name : ''}`;
      const kb = `${b.type} ${'name' in b ? b.name : ''}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
}

describe('Solidity interfaces and TS ABIs', () => {
  const compiled = compileSolidity(sources);

  const pairs = [
    ['IDatanets', datanetsAbi],
    ['IModels', modelsAbi],
    ['IInferences', inferencesAbi],
    ['ITraining', trainingAbi],
    ['IRewards', rewardsAbi],
  ] as const;

  for (const [name, abi] of pairs) {
    it(`${name} equals its TS ABI: functions, events and errors`, () => {
      const sol = compiled[name];
      assert.ok(sol, `${name} compiled`);
      assert.equal(sol.bytecode, '0x', 'an interface has no code');
      assert.deepEqual(normalise(sol.abi), normalise(abi));
    });
  }

  it('IOpenLedgerErrors holds exactly the errors every precompile shares', () => {
    const shared = compiled.IOpenLedgerErrors;
    assert.ok(shared);
    const names = normalise(shared.abi).map((e) => (e as { name: string }).name);
    for (const [, abi] of pairs) {
      const errors = new Set<string>(abi.filter((i) => i.type === 'error').map((i) => i.name));
      for (const n of names) assert.ok(errors.has(n), `${n} in every precompile's ABI`);
    }
  });

  it('the combined ABI holds every item of the five', () => {
    assert.equal(
      openLedgerAbi.length,
      pairs.reduce((n, [, abi]) => n + abi.length, 0),
    );
  });
});
