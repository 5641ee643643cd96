/**
 * ONNX Runtime's execution provider in words, for the footer and `doctor`. The renderer reads it
 * from getAppInfo's answer, so it is checked here (an older engine sends none) before it is shown.
 */
import type { OnnxProviderInfo } from './api.ts';

const LABELS: Record<string, string> = { cpu: 'CPU', cuda: 'CUDA', dml: 'DirectML', coreml: 'CoreML', webgpu: 'WebGPU', tensorrt: 'TensorRT' };

/** 'cuda' → 'CUDA'; a name this build does not know is shown as it came. */
export function onnxProviderLabel(name: string): string {
  return LABELS[name] ?? name;
}

export function isGpuProvider(name: string): boolean {
  return name !== 'cpu';
}

/** The value when it has the shape of an OnnxProviderInfo, else null. */
export function asOnnxProviderInfo(value: unknown): OnnxProviderInfo | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (typeof v.name !== 'string' || !v.name || !Array.isArray(v.skipped)) return null;
  const skipped = v.skipped.filter((s): s is { name: string; reason: string } => !!s && typeof s === 'object' && typeof (s as { name?: unknown }).name === 'string' && typeof (s as { reason?: unknown }).reason === 'string');
  return { name: v.name, forced: v.forced === true, skipped: skipped.map((s) => ({ name: s.name, reason: s.reason })) };
}

/** "ONNX Runtime · CUDA". */
export function onnxProviderLine(info: OnnxProviderInfo): string {
  return `ONNX Runtime · ${onnxProviderLabel(info.name)}`;
}

/** The longer story: what runs where, and why each GPU provider tried was passed over. */
export function onnxProviderDetail(info: OnnxProviderInfo): string[] {
  const how = info.forced
    ? 'as PORTRAIT_SONGS_ONNX_EP asks'
    : isGpuProvider(info.name)
      ? 'its answer checked against the CPU’s'
      : info.skipped.length
        ? 'no graphics card provider worked here'
        : 'no graphics card provider to try on this system';
  return [
    `The face and music networks run on ONNX Runtime’s ${onnxProviderLabel(info.name)} execution provider (${how}).`,
    ...info.skipped.map((s) => `${onnxProviderLabel(s.name)} not used: ${s.reason}`),
  ];
}
