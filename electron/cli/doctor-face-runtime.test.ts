/** `doctor` says which runtime runs the face models, and PORTRAIT_SONGS_FACE_RUNTIME forces one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { candidateProviders, providerSessionOptions } from '../engine/ml/execution-provider.ts';

const CLI = path.resolve(import.meta.dirname, 'portrait-songs.mjs');

function doctor(env: Record<string, string> = {}, args = ['--json']) {
  const r = spawnSync(process.execPath, [CLI, 'doctor', ...args], { encoding: 'utf8', env: { ...process.env, PORTRAIT_SONGS_ONNX_EP: '', ...env }, timeout: 120_000 });
  return { status: r.status, report: r.status === 0 && args.includes('--json') ? JSON.parse(r.stdout) : null, stdout: r.stdout, stderr: r.stderr };
}

test('doctor reports the face runtime and its execution provider; the env var forces TF.js or ONNX', () => {
  const auto = doctor({ PORTRAIT_SONGS_FACE_RUNTIME: '' });
  assert.equal(auto.status, 0, auto.stderr);
  // onnxruntime-node ships CPU binaries for this platform, so ONNX Runtime must load here.
  assert.equal(auto.report.faceRuntime.name, 'onnx', auto.report.faceRuntime.skipped ?? '');
  // The provider is chosen automatically: a GPU one where it works, else the CPU, each one
  // passed over before it named with its reason.
  const ep = auto.report.onnxProvider;
  const candidates = candidateProviders();
  assert.ok(candidates.includes(ep.name), ep.name);
  assert.equal(ep.forced, false);
  assert.deepEqual(ep.skipped.map((s: { name: string }) => s.name), candidates.slice(0, candidates.indexOf(ep.name)));
  assert.deepEqual(auto.report.faceRuntime.executionProvider, ep);
  assert.deepEqual(auto.report.faceRuntime.executionProviders, providerSessionOptions(ep.name).executionProviders);
  assert.match(auto.report.faceRuntime.modelsDigest, /^[0-9a-f]{12}$/);
  assert.ok(Number.isInteger(auto.report.analysisWorkers) && auto.report.analysisWorkers >= 1);

  const tfjs = doctor({ PORTRAIT_SONGS_FACE_RUNTIME: 'tfjs', PORTRAIT_SONGS_ANALYSIS_WORKERS: '3' });
  assert.equal(tfjs.status, 0, tfjs.stderr);
  assert.equal(tfjs.report.faceRuntime.name, 'tfjs');
  assert.equal(tfjs.report.faceRuntime.executionProvider, null);
  assert.equal(tfjs.report.analysisWorkers, 3);

  const bogus = doctor({ PORTRAIT_SONGS_FACE_RUNTIME: 'quantum' });
  assert.equal(bogus.status, 1);
  assert.match(bogus.stderr, /must be one of/);
});

test('doctor prints the execution provider; PORTRAIT_SONGS_ONNX_EP=cpu forces the CPU, a bad list is reported', () => {
  const cpu = doctor({ PORTRAIT_SONGS_FACE_RUNTIME: '', PORTRAIT_SONGS_ONNX_EP: 'cpu' }, []);
  assert.equal(cpu.status, 0, cpu.stderr);
  assert.match(cpu.stdout, /^ONNX Runtime execution provider: CPU \(forced by PORTRAIT_SONGS_ONNX_EP\)$/m);
  assert.match(cpu.stdout, /^Face models: ONNX Runtime \(onnxruntime-node [\d.]+, provider below\), graphs [0-9a-f]{12}$/m);
  assert.doesNotMatch(cpu.stdout, /passed over/);

  const bad = doctor({ PORTRAIT_SONGS_FACE_RUNTIME: '', PORTRAIT_SONGS_ONNX_EP: 'warp-drive' });
  assert.equal(bad.status, 0, bad.stderr);
  assert.equal(bad.report.faceRuntime.name, 'tfjs');
  assert.match(bad.report.faceRuntime.skipped, /PORTRAIT_SONGS_ONNX_EP lists "warp-drive"/);
  assert.equal(bad.report.onnxProvider, null);
  assert.match(bad.report.onnxProviderError, /PORTRAIT_SONGS_ONNX_EP lists "warp-drive"/);
});
