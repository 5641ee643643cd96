/** The execution provider as the footer and doctor say it, and the check on what the renderer is sent. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asOnnxProviderInfo, onnxProviderDetail, onnxProviderLabel, onnxProviderLine } from './onnx-provider.ts';

test('names become words: ONNX Runtime · CPU, · CUDA, · DirectML, · CoreML', () => {
  assert.equal(onnxProviderLine({ name: 'cpu', forced: false, skipped: [] }), 'ONNX Runtime · CPU');
  assert.equal(onnxProviderLine({ name: 'cuda', forced: false, skipped: [] }), 'ONNX Runtime · CUDA');
  assert.equal(onnxProviderLabel('dml'), 'DirectML');
  assert.equal(onnxProviderLabel('coreml'), 'CoreML');
  assert.equal(onnxProviderLabel('something-new'), 'something-new');
});

test('the detail says why the CPU is used: each provider passed over, with its reason', () => {
  const lines = onnxProviderDetail({ name: 'cpu', forced: false, skipped: [{ name: 'cuda', reason: 'no CUDA-capable device is detected' }] });
  assert.match(lines[0]!, /CPU execution provider \(no graphics card provider worked here\)/);
  assert.deepEqual(lines.slice(1), ['CUDA not used: no CUDA-capable device is detected']);
  assert.match(onnxProviderDetail({ name: 'cuda', forced: false, skipped: [] })[0]!, /CUDA execution provider \(its answer checked against the CPU’s\)/);
  assert.match(onnxProviderDetail({ name: 'cpu', forced: true, skipped: [] })[0]!, /PORTRAIT_SONGS_ONNX_EP/);
});

test('what the engine sends is checked before it is shown', () => {
  assert.equal(asOnnxProviderInfo(undefined), null);
  assert.equal(asOnnxProviderInfo(null), null);
  assert.equal(asOnnxProviderInfo('cuda'), null);
  assert.equal(asOnnxProviderInfo({ name: '', skipped: [] }), null);
  assert.equal(asOnnxProviderInfo({ name: 'cuda' }), null);
  assert.deepEqual(asOnnxProviderInfo({ name: 'cuda', forced: 'yes', skipped: [{ name: 'x', reason: 'y' }, { name: 3 }, null], extra: 1 }), {
    name: 'cuda',
    forced: false,
    skipped: [{ name: 'x', reason: 'y' }],
  });
});
