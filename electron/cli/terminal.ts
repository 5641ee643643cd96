/** Terminal output helpers: a one-line progress bar on a TTY, nothing otherwise. */
export class ProgressBar {
  private readonly enabled: boolean;
  private last = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly label = '',
  ) {
    this.enabled = !!stream.isTTY;
  }

  update(done: number, total: number, etaMs: number | null, current = ''): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && done < total) return;
    this.last = now;
    const width = 28;
    const filled = total ? Math.round((done / total) * width) : 0;
    const eta = etaMs === null ? '' : ` ETA ${formatDuration(etaMs)}`;
    const name = current.length > 40 ? '…' + current.slice(-39) : current;
    this.stream.write(`\r\x1b[2K${this.label}[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}${eta} ${name}`);
  }

  done(): void {
    if (this.enabled) this.stream.write('\r\x1b[2K');
  }
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(s % 60).padStart(2, '0')}s`;
}
