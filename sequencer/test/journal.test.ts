import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TxJournal } from '../src/journal.js';

const dir = mkdtempSync(join(tmpdir(), 'openledger-journal-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('TxJournal', () => {
  it('replays what was appended, in order', () => {
    const path = join(dir, 'a.journal');
    const { journal, replay } = TxJournal.open(path);
    assert.equal(replay.length, 0);
    journal.append(Uint8Array.of(1, 2, 3));
    journal.append(Uint8Array.of(4));
    journal.close();
    assert.deepEqual(
      TxJournal.open(path).replay.map((r) => [...r]),
      [[1, 2, 3], [4]],
    );
  });

  it('drops a record torn by a crash mid-write, keeps the rest', () => {
    const path = join(dir, 'b.journal');
    const { journal } = TxJournal.open(path);
    journal.append(Uint8Array.of(9, 9));
    journal.close();
    // Length says 10 bytes, only 2 follow.
    appendFileSync(path, Buffer.from([0, 0, 0, 10, 1, 2]));
    assert.deepEqual(
      TxJournal.open(path).replay.map((r) => [...r]),
      [[9, 9]],
    );
  });

  it('compacts to the pool content once it is stale enough', () => {
    const path = join(dir, 'c.journal');
    const { journal } = TxJournal.open(path, { slack: 3 });
    for (let i = 0; i < 5; i++) journal.append(Uint8Array.of(i));
    journal.compact(() => [Uint8Array.of(7)], 4);
    assert.equal(TxJournal.open(path).replay.length, 5, 'not stale yet: 5 records for a pool of 4');
    journal.compact(() => [Uint8Array.of(7)], 1);
    journal.close();
    assert.deepEqual([...readFileSync(path)], [0, 0, 0, 1, 7]);
  });
});
