import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RawJson, rawArray, stringifyResponse } from '../src/json.js';

describe('stringifyResponse', () => {
  it('splices a RawJson result in verbatim and stringifies the rest as JSON.stringify would', () => {
    const logs = [JSON.stringify({ a: '0x1' }), JSON.stringify({ b: [1, 2] })];
    const text = stringifyResponse({ jsonrpc: '2.0', id: 7, result: rawArray(logs) });
    assert.deepEqual(JSON.parse(text), { jsonrpc: '2.0', id: 7, result: [{ a: '0x1' }, { b: [1, 2] }] });
    const plain = { jsonrpc: '2.0', id: 'x', result: { c: '"quoted"' } };
    assert.equal(stringifyResponse(plain), JSON.stringify(plain));
  });

  it('handles batches mixing raw and plain results, and an empty array', () => {
    const batch = [
      { jsonrpc: '2.0', id: null, result: new RawJson('[]') },
      { jsonrpc: '2.0', id: 2, error: { code: -32601, message: 'no' } },
    ];
    assert.deepEqual(JSON.parse(stringifyResponse(batch)), [
      { jsonrpc: '2.0', id: null, result: [] },
      { jsonrpc: '2.0', id: 2, error: { code: -32601, message: 'no' } },
    ]);
    assert.equal(stringifyResponse([]), '[]');
  });
});
