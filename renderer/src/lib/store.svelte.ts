/**
 * The renderer's state. Everything it knows comes from `window.api`; events from the engine
 * update it in place so the gallery fills in while the analysis runs.
 */
import type { AppInfo, EngineEvent, JobProgress, Portrait } from '../../../shared/api.ts';
import type { Quadrant } from '../../../shared/emotion.ts';

export type QuadrantFilter = Quadrant | 'all' | 'none' | 'error';

class Store {
  info = $state<AppInfo | null>(null);
  folder = $state<string | null>(null);
  portraits = $state<Portrait[]>([]);
  job = $state<JobProgress | null>(null);
  lastJob = $state<{ done: number; failed: number; cancelled: boolean; elapsedMs: number } | null>(null);
  selectedId = $state<number | null>(null);
  filter = $state<QuadrantFilter>('all');
  notices = $state<{ id: number; kind: 'error' | 'info'; text: string }[]>([]);
  private noticeId = 0;

  visible = $derived.by(() => {
    const f = this.filter;
    if (f === 'all') return this.portraits;
    if (f === 'none') return this.portraits.filter((p) => p.status === 'done' && p.faces.length === 0);
    if (f === 'error') return this.portraits.filter((p) => p.status === 'error');
    return this.portraits.filter((p) => p.quadrant === f);
  });

  selected = $derived(this.portraits.find((p) => p.id === this.selectedId) ?? null);

  notify(kind: 'error' | 'info', text: string): void {
    const id = ++this.noticeId;
    this.notices.push({ id, kind, text });
    if (kind === 'info') setTimeout(() => this.dismiss(id), 6000);
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  async refreshInfo(): Promise<void> {
    try {
      this.info = await window.api.getAppInfo();
    } catch (err) {
      this.notify('error', `Could not reach the analysis engine: ${(err as Error).message}`);
    }
  }

  async loadFolder(folder: string): Promise<void> {
    this.folder = folder;
    this.portraits = await window.api.listPortraits({ folder });
  }

  private async afterOpen(opened: { folder: string; jobId: string | null; total: number } | null): Promise<void> {
    if (!opened) return;
    this.filter = 'all';
    this.selectedId = null;
    this.lastJob = null;
    await this.loadFolder(opened.folder);
    if (opened.total === 0) this.notify('info', 'No images were found in that folder or its subfolders.');
    await this.refreshInfo();
  }

  async chooseFolder(): Promise<void> {
    try {
      await this.afterOpen(await window.api.chooseFolder({ kind: 'portraits' }));
    } catch (err) {
      this.notify('error', (err as Error).message);
    }
  }

  async openRecent(path: string): Promise<void> {
    try {
      await this.afterOpen(await window.api.openRecentFolder({ path, kind: 'portraits' }));
    } catch (err) {
      this.notify('error', (err as Error).message);
    }
  }

  async cancelJob(): Promise<void> {
    if (this.job) await window.api.cancelJob({ jobId: this.job.jobId });
  }

  handle(event: EngineEvent): void {
    switch (event.type) {
      case 'job-started':
        if (event.folder === this.folder) {
          this.job = { jobId: event.jobId, kind: event.kind, folder: event.folder, done: 0, total: event.total, failed: 0, etaMs: null, current: null };
        }
        break;
      case 'job-progress': {
        const { type: _type, ...progress } = event;
        if (event.folder === this.folder) this.job = progress;
        break;
      }
      case 'portrait-analysed': {
        const p = event.portrait;
        if (p.folder !== this.folder) break;
        const i = this.portraits.findIndex((x) => x.id === p.id);
        if (i >= 0) this.portraits[i] = p;
        else {
          const at = this.portraits.findIndex((x) => x.path > p.path);
          if (at < 0) this.portraits.push(p);
          else this.portraits.splice(at, 0, p);
        }
        break;
      }
      case 'job-finished':
        if (this.job?.jobId === event.jobId) {
          this.job = null;
          this.lastJob = { done: event.done, failed: event.failed, cancelled: event.cancelled, elapsedMs: event.elapsedMs };
          if (event.cancelled) this.notify('info', `Analysis stopped after ${event.done} images. Open the folder again to continue.`);
        }
        break;
      case 'job-failed':
        if (this.job?.jobId === event.jobId) this.job = null;
        this.notify('error', `Analysis stopped: ${event.message}`);
        break;
      case 'engine-restarted':
        this.job = null;
        this.notify('error', event.reason);
        break;
      case 'menu':
        if (event.command === 'open-portraits') void this.chooseFolder();
        break;
    }
  }
}

export const store = new Store();
