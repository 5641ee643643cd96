export function formatEta(ms: number | null): string {
  if (ms === null) return 'estimating…';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s left`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s left`;
}

export const pct = (p: number): string => `${Math.round(p * 100)}%`;
/** "+0.42", "−" only for values that round below zero: −0.004 reads "+0.00", never "-0.00". */
export const signed = (x: number | null): string => {
  if (x === null) return '–';
  const r = Math.round(x * 100) / 100 || 0;
  return (r >= 0 ? '+' : '') + r.toFixed(2);
};

export function basename(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] ?? p;
}

/** "1:12": shared with the export so the app and the contact sheet say the same time. */
export { formatClock as formatDuration } from '../../../shared/clock.ts';
