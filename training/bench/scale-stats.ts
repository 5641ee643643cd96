/**
 * The pure half of the scale bench (training/bench/bench-scale.ts): percentiles of frame times,
 * the goals, pass/fail, and the table as Markdown. No I/O here, so it is unit-tested.
 */

/** Nearest-rank percentile (p in 0..100) of the values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is not within 0..100`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export interface FrameSummary {
  frames: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  /** Frames that took longer than 20 ms (the goal's budget), and than 50 ms (a visible stall). */
  over20: number;
  over50: number;
}

/** Frame deltas (ms between successive requestAnimationFrame callbacks) summarised. */
export function summariseFrames(deltas: readonly number[]): FrameSummary {
  const round = (x: number) => Math.round(x * 10) / 10;
  const mean = deltas.length ? deltas.reduce((s, x) => s + x, 0) / deltas.length : Number.NaN;
  return {
    frames: deltas.length,
    p50: round(percentile(deltas, 50)),
    p95: round(percentile(deltas, 95)),
    p99: round(percentile(deltas, 99)),
    // A loop, not Math.max(...deltas): 45 minutes of frames (160,000) overflow the call stack as arguments.
    max: round(deltas.length ? deltas.reduce((m, x) => (x > m ? x : m), -Infinity) : Number.NaN),
    mean: round(mean),
    over20: deltas.filter((d) => d > 20).length,
    over50: deltas.filter((d) => d > 50).length,
  };
}

export interface Goal {
  op: '<=' | '>=';
  value: number;
}

export interface Measure {
  /** Stable key for the JSON (e.g. `gallery-scroll-p95`). */
  id: string;
  label: string;
  /** null when it could not be measured (see note). */
  value: number | null;
  unit: string;
  goal?: Goal;
  /** Where the figure comes from, or why it is missing. */
  note?: string;
}

export type Verdict = 'pass' | 'FAIL' | '—' | 'n/a';

export function verdict(m: Measure): Verdict {
  if (!m.goal) return '—';
  if (m.value === null || Number.isNaN(m.value)) return 'n/a';
  return (m.goal.op === '<=' ? m.value <= m.goal.value : m.value >= m.goal.value) ? 'pass' : 'FAIL';
}

/** A figure as the table prints it: three significant digits at most, thousands separated. */
export function formatValue(v: number | null): string {
  if (v === null || Number.isNaN(v)) return '–';
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function formatGoal(g: Goal | undefined, unit: string): string {
  if (!g) return '';
  return `${g.op === '<=' ? '≤' : '≥'} ${formatValue(g.value)} ${unit}`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownTable(measures: readonly Measure[]): string {
  const lines = ['| measure | value | goal | result | how / note |', '|---|---:|---|---|---|'];
  for (const m of measures) {
    lines.push(`| ${cell(m.label)} | ${formatValue(m.value)} ${cell(m.unit)} | ${cell(formatGoal(m.goal, m.unit))} | ${verdict(m)} | ${cell(m.note ?? '')} |`);
  }
  return lines.join('\n');
}

/** The goals (2 cores, no GPU), written for 20,000 portraits and 5,000 songs. */
export const GOALS = {
  galleryScrollP95: { op: '<=', value: 20 },
  songScrollP95: { op: '<=', value: 20 },
  pageHeapMB: { op: '<=', value: 400 },
  engineRssMB: { op: '<=', value: 1536 },
  reopenS: { op: '<=', value: 3 },
  playlistS: { op: '<=', value: 2 },
  exportS: { op: '<=', value: 60 },
  imagesPerS: { op: '>=', value: 6 },
  songsPerS: { op: '>=', value: 1.5 },
} as const satisfies Record<string, Goal>;

/** Parses `--name value` and `--flag` options; unknown names are an error, so typos do not pass silently. */
export function parseOptions(argv: readonly string[], known: { values: readonly string[]; flags: readonly string[] }): { values: Map<string, string>; flags: Set<string> } {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const name = a.slice(2);
    const eq = name.indexOf('=');
    if (eq > 0) {
      const k = name.slice(0, eq);
      if (!known.values.includes(k)) throw new Error(`unknown option --${k}`);
      values.set(k, name.slice(eq + 1));
    } else if (known.flags.includes(name)) flags.add(name);
    else if (known.values.includes(name)) {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
      values.set(name, v);
      i++;
    } else throw new Error(`unknown option --${name}`);
  }
  return { values, flags };
}
