import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prettyLine } from '../src/logger.js';

describe('prettyLine', () => {
  it('puts time, level, module and message first, then the fields', () => {
    const line = prettyLine(
      JSON.stringify({
        level: 30,
        time: Date.UTC(2026, 0, 1, 12, 0, 1, 234),
        module: 'sequencer',
        msg: 'block produced',
        number: 7,
        hash: '0xab',
      }),
    );
    assert.equal(line, '12:00:01.234 INFO  [sequencer] block produced number=7 hash=0xab\n');
  });

  it('prints an error stack indented under its line, and passes non-JSON through', () => {
    const line = prettyLine(
      JSON.stringify({
        level: 50,
        time: 0,
        msg: 'failed',
        err: { message: 'boom', stack: 'Error: boom\n    at x' },
      }),
    );
    assert.equal(line, '00:00:00.000 ERROR failed\n  Error: boom\n      at x\n');
    assert.equal(prettyLine('not json'), 'not json');
  });
});
