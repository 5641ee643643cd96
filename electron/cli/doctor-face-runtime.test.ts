/** `doctor` says which runtime runs the face models, and PORTRAIT_SONGS_FACE_RUNTIME forces one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const CLI = path.resolve(import.meta.dirname, 'portrait-songs.mjs');

function doctor(env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, 'doctor', '--json'], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { status: r.status, report: r.status === 0 ? JSON.parse(r.stdout) : null, stderr: r.stderr };
}

test('doctor reports the face runtime and its execution provider; the env var forces TF.js or ONNX', () => {
  const auto = doctor({ PORTRAIT_SONGS_FACE_RUNTIME: '' });
  assert.equal(auto.status, 0, auto.stderr);
  // onnxruntime-node ships CPU binaries for this platform, so ONNX Runtime must load here.
  assert.equal(auto.report.faceRuntime.name, 'onnx', auto.report.faceRuntime.skipped ?? '');
  assert.deepEqual(auto.report.faceRuntime.executionProviders, ['cpu']);
  assert.match(auto.report.faceRuntime.modelsDigest, /^[0-9a-f]{12}$/);
  assert.ok(Number.isInteger(auto.report.analysisWorkers) && auto.report.analysisWorkers >= 1);

  const tfjs = doctor({ PORTRAIT_SONGS_FACE_RUNTIME: 'tfjs', PORTRAIT_SONGS_ANALYSIS_WORKERS: '3' });
  assert.equal(tfjs.status, 0, tfjs.stderr);
  assert.equal(tfjs.report.faceRuntime.name, 'tfjs');
  assert.equal(tfjs.report.analysisWorkers, 3);

  const bogus = doctor({ PORTRAIT_SONGS_FACE_RUNTIME: 'quantum' });
  assert.equal(bogus.status, 1);
  assert.match(bogus.stderr, /must be one of/);
});
