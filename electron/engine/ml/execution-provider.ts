/**
 * Which ONNX Runtime execution provider the face models and the music network run on: the
 * graphics card where one is present and works, the CPU otherwise. Chosen once per process.
 *
 * - The candidates by platform: Linux cuda → cpu; Windows cuda → dml → cpu; macOS coreml → cpu.
 *   Those the installed onnxruntime-node binding does not list are dropped (its prebuilt Windows
 *   binding has DirectML but not CUDA), and one whose provider library is not installed
 *   (Linux's CUDA library is downloaded by the package's install step, and missing offline) is
 *   passed over without being tried.
 * - A GPU provider counts only once a session made with it on a real graph (the face classifier)
 *   ran one input and its every output matched the CPU provider's within PROBE_TOLERANCE. A
 *   provider that throws, gives NaN or gives another answer is passed over with the reason.
 * - PORTRAIT_SONGS_ONNX_EP=cuda,cpu (for example) forces the list, checked the same way; 'cpu'
 *   alone means the CPU only, nothing tried. When no provider of a forced list works, that is
 *   an error, never a silent switch.
 *
 * Worker threads do not choose again: the thread that starts them passes the name down
 * (workerData) and they adopt it (adoptExecutionProvider), so every worker runs what was checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-node';
import type { OnnxProviderInfo } from '../../../shared/api.ts';
import { onnxModelPath } from './onnx-models.ts';

const require = createRequire(import.meta.url);

export type { OnnxProviderInfo };

export const ONNX_EP_ENV = 'PORTRAIT_SONGS_ONNX_EP';
/** Names PORTRAIT_SONGS_ONNX_EP may list (onnxruntime-node's own names). */
export const ONNX_PROVIDER_NAMES = ['cuda', 'dml', 'coreml', 'webgpu', 'tensorrt', 'cpu'] as const;
/** Largest difference from the CPU's output allowed, relative to the value where it is over 1. */
export const PROBE_TOLERANCE = 1e-3;

/** What the binding says it can do (onnxruntime-node's listSupportedBackends()). */
export interface SupportedProvider {
  name: string;
  /** False where the provider's library is downloaded at install rather than shipped. */
  bundled: boolean;
}

export type ProbeOutputs = Record<string, ArrayLike<number>>;

/** The providers tried, in order, on a platform when nothing is forced. Always ends with 'cpu'. */
export function candidateProviders(platform: NodeJS.Platform = process.platform): string[] {
  switch (platform) {
    case 'linux':
      return ['cuda', 'cpu'];
    case 'win32':
      return ['cuda', 'dml', 'cpu'];
    case 'darwin':
      return ['coreml', 'cpu'];
    default:
      return ['cpu'];
  }
}

/** PORTRAIT_SONGS_ONNX_EP as a list, or null when unset or empty (choose automatically). */
export function parseProviderEnv(value: string | undefined = process.env[ONNX_EP_ENV]): string[] | null {
  if (value === undefined) return null;
  const list = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (list.length === 0) return null;
  const unknown = list.filter((p) => !(ONNX_PROVIDER_NAMES as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`${ONNX_EP_ENV} lists ${unknown.map((p) => `"${p}"`).join(', ')}; use a comma-separated list of ${ONNX_PROVIDER_NAMES.join(', ')}`);
  return [...new Set(list)];
}

/** Session options that put a session on `provider` (the CPU provider takes what it cannot run). */
export function providerSessionOptions(provider: string): Pick<Ort.InferenceSession.SessionOptions, 'executionProviders' | 'enableMemPattern'> {
  return {
    executionProviders: provider === 'cpu' ? ['cpu'] : [provider, 'cpu'],
    // DirectML refuses memory patterns (and parallel execution, which no session here asks for).
    ...(provider === 'dml' ? { enableMemPattern: false } : {}),
  };
}

/**
 * Why `got` is not the same answer as the CPU's `reference`, or null when every output is there,
 * finite and within `tolerance` (absolute up to 1, relative above).
 */
export function compareOutputs(reference: ProbeOutputs, got: ProbeOutputs, tolerance = PROBE_TOLERANCE): string | null {
  const names = Object.keys(reference);
  if (names.length === 0) return 'the check graph gave no output on the CPU';
  for (const name of names) {
    const want = reference[name]!;
    const have = got[name];
    if (!have) return `no "${name}" output`;
    if (have.length !== want.length) return `"${name}" has ${have.length} values, the CPU gave ${want.length}`;
    let worst = 0;
    let at = -1;
    for (let i = 0; i < want.length; i++) {
      const a = have[i]!;
      const b = want[i]!;
      if (!Number.isFinite(a)) return `"${name}"[${i}] is ${a}`;
      const off = Math.abs(a - b) / Math.max(1, Math.abs(b));
      if (off > worst) [worst, at] = [off, i];
    }
    if (worst > tolerance) return `"${name}"[${at}] is ${have[at]}, the CPU gave ${want[at]} (off by ${worst.toPrecision(2)}, more than ${tolerance})`;
  }
  return null;
}

/** One line of an error, short enough to show: native errors carry paths and stack-like tails. */
function reasonOf(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).trim().split('\n')[0]!.trim();
  return text.length > 300 ? `${text.slice(0, 297)}…` : text || 'failed without a message';
}

export interface ChooseProviderOptions {
  /** In order; 'cpu' ends the search without a check (it is the reference). */
  candidates: readonly string[];
  /** Set when the list came from PORTRAIT_SONGS_ONNX_EP: nothing outside it may be used. */
  forced: boolean;
  /** The binding's list; null when it gave none (then every candidate is tried). */
  supported: readonly SupportedProvider[] | null;
  /** Why a provider whose library is installed separately cannot be used here, or null. */
  libraryMissing?: (provider: string) => string | null;
  /** Makes a session on the check graph with this provider, runs the check input and gives the outputs. */
  runProbe: (provider: string) => Promise<ProbeOutputs>;
  tolerance?: number;
}

/** Tries the candidates in order and keeps the first that gives the CPU's answer. */
export async function chooseExecutionProvider(opts: ChooseProviderOptions): Promise<OnnxProviderInfo> {
  const skipped: { name: string; reason: string }[] = [];
  let reference: Promise<ProbeOutputs> | null = null;
  for (const name of opts.candidates) {
    if (name === 'cpu') return { name, forced: opts.forced, skipped };
    const listed = opts.supported?.find((s) => s.name === name);
    if (opts.supported && !listed) {
      skipped.push({ name, reason: `not in this onnxruntime-node build (it has ${opts.supported.map((s) => s.name).join(', ') || 'none'})` });
      continue;
    }
    const missing = listed && !listed.bundled ? (opts.libraryMissing?.(name) ?? null) : null;
    if (missing) {
      skipped.push({ name, reason: missing });
      continue;
    }
    let want: ProbeOutputs;
    try {
      want = await (reference ??= opts.runProbe('cpu'));
    } catch (err) {
      skipped.push({ name, reason: `could not be checked: the CPU run of the check graph failed (${reasonOf(err)})` });
      continue;
    }
    let got: ProbeOutputs;
    try {
      got = await opts.runProbe(name);
    } catch (err) {
      skipped.push({ name, reason: reasonOf(err) });
      continue;
    }
    const mismatch = compareOutputs(want, got, opts.tolerance ?? PROBE_TOLERANCE);
    if (mismatch === null) return { name, forced: opts.forced, skipped };
    skipped.push({ name, reason: `gave a different answer from the CPU: ${mismatch}` });
  }
  const detail = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  if (opts.forced) throw new Error(`${ONNX_EP_ENV}=${opts.candidates.join(',')}: no execution provider of the list works here (${detail})`);
  // The automatic lists end with the CPU; this is only reached with a list that does not.
  return { name: 'cpu', forced: false, skipped };
}

// --- The real thing: onnxruntime-node, the classifier graph -----------------------------------

function ortBinDir(): string | null {
  try {
    const root = path.dirname(require.resolve('onnxruntime-node/package.json'));
    return path.join(root, 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return null;
  }
}

/** Libraries a provider that the package does not ship needs beside the binding. */
const PROVIDER_LIBRARIES: Record<string, string[]> = {
  cuda: ['providers_shared', 'providers_cuda'],
  tensorrt: ['providers_shared', 'providers_tensorrt'],
};

function libraryFile(stem: string): string {
  return process.platform === 'win32' ? `onnxruntime_${stem}.dll` : process.platform === 'darwin' ? `libonnxruntime_${stem}.dylib` : `libonnxruntime_${stem}.so`;
}

export function installedLibraryMissing(provider: string, dir = ortBinDir()): string | null {
  const stems = PROVIDER_LIBRARIES[provider];
  if (!stems || !dir) return null;
  const absent = stems.map(libraryFile).filter((f) => !fs.existsSync(path.join(dir, f)));
  if (absent.length === 0) return null;
  return `its library (${absent.join(', ')}) is not installed beside onnxruntime-node's binding; the package's install step downloads it${provider === 'cuda' ? ', and NVIDIA\u2019s CUDA 12 and cuDNN libraries are needed too' : ''}`;
}

/** 0..255, like the pixels the classifier reads; the same every run. */
function probeInput(length: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => 127.5 + 127.5 * Math.sin(i * 0.37 + (i % 7) * 0.11));
}

/** Runs the face classifier's graph on `provider` with a fixed input; returns every float output. */
export async function runClassifierProbe(ort: typeof Ort, provider: string, modelPath = onnxModelPath('classifier')): Promise<ProbeOutputs> {
  const bytes = fs.readFileSync(modelPath);
  const session = await ort.InferenceSession.create(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    ...providerSessionOptions(provider),
    graphOptimizationLevel: 'all',
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  try {
    const feeds: Record<string, Ort.Tensor> = {};
    for (const meta of session.inputMetadata) {
      if (!meta.isTensor || meta.type !== 'float32') throw new Error(`the check graph's input "${meta.name}" is not a float tensor`);
      // Symbolic or unknown dimensions (a batch) are 1.
      const dims = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
      feeds[meta.name] = new ort.Tensor('float32', probeInput(dims.reduce((a, b) => a * b, 1)), dims);
    }
    const out = await session.run(feeds);
    const outputs: ProbeOutputs = {};
    for (const [name, tensor] of Object.entries(out)) {
      if (tensor.type === 'float32' || tensor.type === 'float64') outputs[name] = tensor.data as Float32Array | Float64Array;
    }
    return outputs;
  } finally {
    await session.release();
  }
}

let chosen: Promise<OnnxProviderInfo> | null = null;

/**
 * The provider this thread's sessions use: adopted from the thread that started it, or chosen
 * here once (the first call loads onnxruntime-node and, where a GPU provider is a candidate,
 * runs the check). Rejects when a forced list has nothing that works.
 */
export function onnxExecutionProvider(loadOrt: () => typeof Ort = () => require('onnxruntime-node') as typeof Ort): Promise<OnnxProviderInfo> {
  chosen ??= (async () => {
    const forcedList = parseProviderEnv();
    const ort = loadOrt();
    let supported: SupportedProvider[] | null = null;
    try {
      const list = (ort as unknown as { listSupportedBackends?: () => SupportedProvider[] }).listSupportedBackends?.();
      supported = Array.isArray(list) ? list.map((s) => ({ name: String(s.name), bundled: s.bundled !== false })) : null;
    } catch {
      supported = null;
    }
    return chooseExecutionProvider({
      candidates: forcedList ?? candidateProviders(),
      forced: forcedList !== null,
      supported,
      libraryMissing: (p) => installedLibraryMissing(p),
      runProbe: (p) => runClassifierProbe(ort, p),
    });
  })();
  return chosen;
}

/** A worker thread takes the provider its parent chose (nothing is checked again). */
export function adoptExecutionProvider(name: string | null | undefined): void {
  if (!name) return;
  chosen = Promise.resolve({ name, forced: false, skipped: [] });
}

/** Forgets the choice (tests). */
export function resetExecutionProviderChoice(): void {
  chosen = null;
}
