/** The choice of ONNX Runtime's execution provider: candidates, the env override, the check and its fallbacks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  adoptExecutionProvider,
  candidateProviders,
  chooseExecutionProvider,
  compareOutputs,
  installedLibraryMissing,
  onnxExecutionProvider,
  ONNX_EP_ENV,
  parseProviderEnv,
  providerSessionOptions,
  resetExecutionProviderChoice,
  runClassifierProbe,
  type ChooseProviderOptions,
  type ProbeOutputs,
} from './execution-provider.ts';
import { loadOrt } from './onnx-runtime.ts';

const ANSWER: ProbeOutputs = { expressions: Float32Array.from([0.1, 0.2, 0.3, 0.05, 0.05, 0.2, 0.1]), classes: Float32Array.from([0.25, 0.25, 0.25, 0.25]) };
const near = (o: ProbeOutputs, by: number): ProbeOutputs => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Float32Array.from(v, (x) => x + by)]));

/** A fake session factory: per provider, the outputs it gives or the error it throws; counts runs. */
function fakeProbe(byProvider: Record<string, ProbeOutputs | Error>) {
  const runs: string[] = [];
  const runProbe = async (provider: string): Promise<ProbeOutputs> => {
    runs.push(provider);
    const r = byProvider[provider];
    if (!r) throw new Error(`no fake for ${provider}`);
    if (r instanceof Error) throw r;
    return r;
  };
  return { runs, runProbe };
}

const ALL: ChooseProviderOptions['supported'] = ['cpu', 'cuda', 'dml', 'coreml'].map((name) => ({ name, bundled: true }));

test('the candidates by platform: a GPU provider first, the CPU last', () => {
  assert.deepEqual(candidateProviders('linux'), ['cuda', 'cpu']);
  assert.deepEqual(candidateProviders('win32'), ['cuda', 'dml', 'cpu']);
  assert.deepEqual(candidateProviders('darwin'), ['coreml', 'cpu']);
  assert.deepEqual(candidateProviders('freebsd'), ['cpu']);
});

test('PORTRAIT_SONGS_ONNX_EP: unset or empty chooses automatically; a list is kept in order; unknown names are refused', () => {
  assert.equal(parseProviderEnv(undefined), null);
  assert.equal(parseProviderEnv(''), null);
  assert.equal(parseProviderEnv(' , '), null);
  assert.deepEqual(parseProviderEnv('cpu'), ['cpu']);
  assert.deepEqual(parseProviderEnv(' CUDA, cpu ,cuda'), ['cuda', 'cpu']);
  assert.deepEqual(parseProviderEnv('dml,coreml,webgpu,tensorrt'), ['dml', 'coreml', 'webgpu', 'tensorrt']);
  assert.throws(() => parseProviderEnv('gpu,cpu'), /PORTRAIT_SONGS_ONNX_EP lists "gpu"/);
  assert.throws(() => parseProviderEnv('cuda;cpu'), /PORTRAIT_SONGS_ONNX_EP/);
});

test('session options: the chosen provider first with the CPU behind it; DirectML without memory patterns', () => {
  assert.deepEqual(providerSessionOptions('cpu'), { executionProviders: ['cpu'] });
  assert.deepEqual(providerSessionOptions('cuda'), { executionProviders: ['cuda', 'cpu'] });
  assert.deepEqual(providerSessionOptions('dml'), { executionProviders: ['dml', 'cpu'], enableMemPattern: false });
});

test('outputs compare within the tolerance, absolute below 1 and relative above', () => {
  assert.equal(compareOutputs(ANSWER, near(ANSWER, 5e-4)), null);
  assert.match(compareOutputs(ANSWER, near(ANSWER, 5e-3))!, /"expressions"\[0\].*more than 0\.001/);
  assert.equal(compareOutputs({ big: [1000] }, { big: [1000.5] }), null);
  assert.match(compareOutputs({ big: [1000] }, { big: [1002] })!, /off by/);
  assert.match(compareOutputs(ANSWER, { expressions: ANSWER.expressions! })!, /no "classes" output/);
  assert.match(compareOutputs(ANSWER, { ...ANSWER, classes: [0.5, 0.5] })!, /2 values, the CPU gave 4/);
  assert.match(compareOutputs(ANSWER, { ...ANSWER, classes: [NaN, 0, 0, 0] })!, /is NaN/);
  assert.match(compareOutputs({}, {})!, /no output/);
});

test('a working GPU provider is chosen after one CPU reference run', async () => {
  const { runs, runProbe } = fakeProbe({ cpu: ANSWER, cuda: near(ANSWER, 1e-5) });
  const info = await chooseExecutionProvider({ candidates: ['cuda', 'cpu'], forced: false, supported: ALL, runProbe });
  assert.deepEqual(info, { name: 'cuda', forced: false, skipped: [] });
  assert.deepEqual(runs, ['cpu', 'cuda']);
});

test('a provider that throws, gives NaN or gives another answer falls back, with the reason kept', async () => {
  const thrown = fakeProbe({ cpu: ANSWER, cuda: new Error('CUDA failure 100: no CUDA-capable device is detected\n  at some native frame') });
  const a = await chooseExecutionProvider({ candidates: ['cuda', 'cpu'], forced: false, supported: ALL, runProbe: thrown.runProbe });
  assert.equal(a.name, 'cpu');
  assert.deepEqual(a.skipped, [{ name: 'cuda', reason: 'CUDA failure 100: no CUDA-capable device is detected' }]);

  const nan = fakeProbe({ cpu: ANSWER, coreml: { ...ANSWER, expressions: new Float32Array(7).fill(NaN) } });
  const b = await chooseExecutionProvider({ candidates: ['coreml', 'cpu'], forced: false, supported: ALL, runProbe: nan.runProbe });
  assert.equal(b.name, 'cpu');
  assert.match(b.skipped[0]!.reason, /different answer.*NaN/);

  // Windows: CUDA answers wrongly, DirectML rightly; the CPU's reference is computed once.
  const wrong = fakeProbe({ cpu: ANSWER, cuda: near(ANSWER, 0.01), dml: near(ANSWER, -2e-4) });
  const c = await chooseExecutionProvider({ candidates: candidateProviders('win32'), forced: false, supported: ALL, runProbe: wrong.runProbe });
  assert.equal(c.name, 'dml');
  assert.equal(c.skipped.length, 1);
  assert.match(c.skipped[0]!.reason, /^gave a different answer from the CPU: "expressions"\[\d\]/);
  assert.deepEqual(wrong.runs, ['cpu', 'cuda', 'dml']);
});

test('providers the binding does not list, or whose library is not installed, are passed over untried', async () => {
  const { runs, runProbe } = fakeProbe({ cpu: ANSWER, cuda: ANSWER, dml: ANSWER });
  // onnxruntime-node's prebuilt Windows binding: DirectML, no CUDA.
  const win = await chooseExecutionProvider({ candidates: ['cuda', 'dml', 'cpu'], forced: false, supported: [{ name: 'cpu', bundled: true }, { name: 'dml', bundled: true }], runProbe });
  assert.equal(win.name, 'dml');
  assert.deepEqual(win.skipped, [{ name: 'cuda', reason: 'not in this onnxruntime-node build (it has cpu, dml)' }]);
  assert.deepEqual(runs, ['cpu', 'dml']);

  // Linux x64: CUDA is listed but its library is downloaded at install, and missing here.
  runs.length = 0;
  const linux = await chooseExecutionProvider({
    candidates: ['cuda', 'cpu'],
    forced: false,
    supported: [{ name: 'cpu', bundled: true }, { name: 'cuda', bundled: false }],
    libraryMissing: (p) => (p === 'cuda' ? 'its library is not installed' : null),
    runProbe,
  });
  assert.deepEqual(linux, { name: 'cpu', forced: false, skipped: [{ name: 'cuda', reason: 'its library is not installed' }] });
  assert.deepEqual(runs, [], 'nothing is run when no GPU provider can be tried');
});

test('a CPU reference that fails leaves the GPU provider unchecked, so unused', async () => {
  const { runProbe } = fakeProbe({ cpu: new Error('model file missing'), cuda: ANSWER });
  const info = await chooseExecutionProvider({ candidates: ['cuda', 'cpu'], forced: false, supported: ALL, runProbe });
  assert.equal(info.name, 'cpu');
  assert.match(info.skipped[0]!.reason, /could not be checked.*model file missing/);
});

test('a forced list: "cpu" alone tries nothing; a list without the CPU that fails is an error', async () => {
  const { runs, runProbe } = fakeProbe({ cpu: ANSWER, cuda: new Error('no device') });
  assert.deepEqual(await chooseExecutionProvider({ candidates: ['cpu'], forced: true, supported: ALL, runProbe }), { name: 'cpu', forced: true, skipped: [] });
  assert.deepEqual(runs, []);
  await assert.rejects(chooseExecutionProvider({ candidates: ['cuda'], forced: true, supported: ALL, runProbe }), /PORTRAIT_SONGS_ONNX_EP=cuda: no execution provider of the list works here \(cuda: no device\)/);
  const withCpu = await chooseExecutionProvider({ candidates: ['cuda', 'cpu'], forced: true, supported: ALL, runProbe });
  assert.deepEqual(withCpu, { name: 'cpu', forced: true, skipped: [{ name: 'cuda', reason: 'no device' }] });
});

test('a missing provider library is named; present libraries and bundled providers pass', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-ort-bin-'));
  try {
    assert.match(installedLibraryMissing('cuda', dir)!, /providers_cuda.*not installed/);
    assert.equal(installedLibraryMissing('dml', dir), null);
    const file = (stem: string) => (process.platform === 'win32' ? `onnxruntime_${stem}.dll` : process.platform === 'darwin' ? `libonnxruntime_${stem}.dylib` : `libonnxruntime_${stem}.so`);
    for (const stem of ['providers_shared', 'providers_cuda']) fs.writeFileSync(path.join(dir, file(stem)), '');
    assert.equal(installedLibraryMissing('cuda', dir), null);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the real check graph runs on the CPU provider and agrees with itself', async () => {
  const ort = loadOrt();
  const a = await runClassifierProbe(ort, 'cpu');
  const b = await runClassifierProbe(ort, 'cpu');
  assert.ok(Object.keys(a).length >= 1);
  for (const v of Object.values(a)) assert.ok(Array.from(v).every(Number.isFinite));
  assert.equal(compareOutputs(a, b), null);
});

test('this machine: the choice is a candidate, and every candidate before it is passed over with a reason', async () => {
  const saved = process.env[ONNX_EP_ENV];
  try {
    delete process.env[ONNX_EP_ENV];
    resetExecutionProviderChoice();
    const info = await onnxExecutionProvider(loadOrt);
    const candidates = candidateProviders();
    assert.ok(candidates.includes(info.name), info.name);
    assert.equal(info.forced, false);
    assert.deepEqual(info.skipped.map((s) => s.name), candidates.slice(0, candidates.indexOf(info.name)));
    for (const s of info.skipped) assert.ok(s.reason.length > 0);

    process.env[ONNX_EP_ENV] = 'cpu';
    resetExecutionProviderChoice();
    assert.deepEqual(await onnxExecutionProvider(loadOrt), { name: 'cpu', forced: true, skipped: [] });
  } finally {
    if (saved === undefined) delete process.env[ONNX_EP_ENV];
    else process.env[ONNX_EP_ENV] = saved;
    resetExecutionProviderChoice();
  }
});

test('a worker adopts the provider its parent chose without loading or checking anything', async () => {
  try {
    adoptExecutionProvider('cuda');
    const info = await onnxExecutionProvider(() => {
      throw new Error('must not load onnxruntime-node to choose');
    });
    assert.equal(info.name, 'cuda');
  } finally {
    resetExecutionProviderChoice();
  }
});
