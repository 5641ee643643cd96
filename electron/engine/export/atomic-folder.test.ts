import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeStaleSiblings, STALE_MS, writeFolderAtomically } from './atomic-folder.ts';

test('leftovers of a killed export are removed on the next export; fresh ones and other folders are kept', async () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-atomic-'));
  try {
    const target = path.join(parent, 'Export ü');
    const stale = path.join(parent, '.Export ü.export-0a1b2c3d');
    const staleOld = path.join(parent, '.Export ü.old-deadbeef');
    const fresh = path.join(parent, '.Export ü.export-11223344');
    const other = path.join(parent, '.Other.export-0a1b2c3d');
    for (const d of [stale, staleOld, fresh, other]) fs.mkdirSync(d);
    const past = new Date(Date.now() - STALE_MS - 60_000);
    for (const d of [stale, staleOld, other]) fs.utimesSync(d, past, past);

    await writeFolderAtomically(target, false, async (dir) => fs.writeFileSync(path.join(dir, 'pairs.json'), '{}'));
    assert.ok(fs.existsSync(path.join(target, 'pairs.json')));
    assert.ok(!fs.existsSync(stale) && !fs.existsSync(staleOld), 'stale leftovers removed');
    assert.ok(fs.existsSync(fresh), 'a recent temp folder may belong to a running export');
    assert.ok(fs.existsSync(other), "another target's folders are not ours");
    assert.deepEqual(await removeStaleSiblings(target), []);
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
  }
});
