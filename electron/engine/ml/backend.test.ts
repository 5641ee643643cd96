import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend, type Candidate } from './backend.ts';
import { provideRemovedUtilHelpers, REMOVED_UTIL_HELPERS } from './node-util-shim.ts';

/** A backend that registers and initialises, then has no kernels: its first op throws. */
class NoKernelsBackend extends tf.KernelBackend {}

test('a backend that loads but fails its first op is skipped, with the reason, for the next one', async () => {
  tf.registerBackend('broken-first-op', () => new NoKernelsBackend());
  const candidates: Candidate[] = [
    { name: 'tfjs-node', tfName: 'broken-first-op', load: () => null },
    { name: 'cpu', tfName: 'cpu', load: () => null },
  ];
  const chosen = await chooseBackend(candidates, null);
  assert.equal(chosen.name, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  assert.equal(chosen.skipped.length, 1);
  assert.equal(chosen.skipped[0]!.name, 'tfjs-node');
  assert.match(chosen.skipped[0]!.reason, /^first operation failed: /);
});

test('a forced backend that fails its first op is an error, not a silent fallback', async () => {
  tf.registerBackend('broken-forced', () => new NoKernelsBackend());
  const candidates: Candidate[] = [
    { name: 'wasm', tfName: 'broken-forced', load: () => null },
    { name: 'cpu', tfName: 'cpu', load: () => null },
  ];
  await assert.rejects(chooseBackend(candidates, 'wasm'), /Backend "wasm" is not usable here \(wasm: first operation failed/);
});

test('the util helpers Node 23 removed are provided where missing, and left alone where present', () => {
  const bare: Record<string, unknown> = {};
  const added = provideRemovedUtilHelpers(bare);
  assert.deepEqual(added.sort(), Object.keys(REMOVED_UTIL_HELPERS).sort());
  const util = bare as Record<string, (v: unknown) => boolean>;
  assert.equal(util.isNullOrUndefined!(null), true);
  assert.equal(util.isNullOrUndefined!(undefined), true);
  assert.equal(util.isNullOrUndefined!(0), false);
  assert.equal(util.isPrimitive!('x'), true);
  assert.equal(util.isPrimitive!({}), false);
  const own = () => true;
  const partial: Record<string, unknown> = { isString: own };
  provideRemovedUtilHelpers(partial);
  assert.equal(partial.isString, own);
});
