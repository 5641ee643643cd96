/**
 * The portrait side of the engine: walking a portrait folder, analysing what is new or changed
 * as one job, and handing rows out with the person's readings applied.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CorrectionInput, FolderOpened, Portrait, SkippedFile } from '../../../shared/api.ts';
import { NEUTRAL_RADIUS, personPoint } from '../../../shared/emotion.ts';
import { PICTURE_MOOD_VERSION } from '../../../shared/picture-mood.ts';
import { toPortrait, type PortraitRow } from '../catalog/portraits-table.ts';
import { withFaceCorrections } from '../catalog/corrections-table.ts';
import { isImageFile, notImageReason, walkFiles } from '../scan/walk-files.ts';
import { missingRows } from '../scan/missing-rows.ts';
import { ProgressClock } from '../jobs/progress-clock.ts';
import { chooseFaceRuntime, faceRuntimeTag, type FaceRuntimeInfo } from '../ml/onnx-runtime.ts';
import { EngineError } from '../engine-error.ts';
import type { EngineContext } from '../engine-context.ts';
import type { FaceClassifier } from '../types.ts';
import { isUpToDate, type LibraryDeps } from './portrait-library.ts';
import { analyseInOrder } from './analyse-in-order.ts';
import { openAnalyser } from './portrait-analyser.ts';
import { analysisWorkerCount } from './portrait-pool.ts';
import { detectPresetTag, type DetectPreset } from './analyse-portrait.ts';

export interface PortraitsOptions {
  classifier: FaceClassifier;
  /** A classifier object handed in cannot cross to a worker thread: analyse in this thread. */
  classifierInProcess: boolean;
  detect: DetectPreset;
  analysisWorkers?: number;
}

export class Portraits {
  private faceRuntime: FaceRuntimeInfo | null = null;
  /**
   * The person may change it at any time (setFaceSearch); each job reads it once when it starts,
   * so a running job keeps the preset its rows are labelled with.
   */
  detect: DetectPreset;

  constructor(
    private readonly ctx: EngineContext,
    private readonly options: PortraitsOptions,
  ) {
    this.detect = options.detect;
  }

  /** Needs the face runtime chosen (faceRuntimeInfo()): results differ, however little, by runtime and graph. */
  get analyser(): string {
    if (!this.faceRuntime) throw new Error('The face runtime is not chosen yet');
    // The picture mood's version too: catalogs from before it (or an older mapping) are re-analysed.
    // The preset's settings digest too: retuned detection passes re-analyse the catalog.
    return `detect:${detectPresetTag(this.detect)}+${faceRuntimeTag(this.faceRuntime)}+${this.options.classifier.name}+${PICTURE_MOOD_VERSION}`;
  }

  /** Which runtime runs the face models here (ONNX Runtime or TF.js), chosen once. */
  async faceRuntimeInfo(): Promise<FaceRuntimeInfo> {
    this.faceRuntime ??= await chooseFaceRuntime();
    return this.faceRuntime;
  }

  private deps(): LibraryDeps {
    const { portraits, thumbsDir } = this.ctx;
    return { portraits, classifier: this.options.classifier, detect: this.detect, thumbsDir, analyser: this.analyser };
  }

  private openAnalyser(files: number, deps: LibraryDeps) {
    return openAnalyser({
      workers: analysisWorkerCount(this.options.analysisWorkers),
      files,
      runtime: this.faceRuntime!.name,
      onnxProvider: this.faceRuntime!.executionProvider?.name ?? null,
      deps,
      inProcess: this.options.classifierInProcess,
    });
  }

  /** Walks a portrait folder: prunes portraits whose files are gone, queues the new and changed. */
  async scan(folder: string): Promise<FolderOpened> {
    await this.faceRuntimeInfo();
    const { portraits } = this.ctx;
    const { files, others, problems } = await walkFiles([folder], isImageFile);
    const skipped = [...problems, ...others.map((f) => ({ path: f, reason: notImageReason(f) }))];
    const rows = portraits.stampsUnder(folder);
    // One query for the folder, not one per file (20,000 on an archive's re-open).
    const byPath = new Map(rows.map((r) => [r.path, r]));
    // Once, not per file: the id hashes the detection preset.
    const analyser = this.analyser;
    const gone = missingRows(rows, files);
    const prune = () => {
      const still = gone.filter((r) => !fs.existsSync(r.path));
      for (const r of still) portraits.delete(r.id);
      if (still.length) this.ctx.emit({ type: 'portraits-removed', folder, ids: still.map((r) => r.id) });
    };
    const stale = files.filter((f) => {
      try {
        return !isUpToDate(byPath.get(f), fs.statSync(f), analyser);
      } catch {
        return true;
      }
    });
    if (stale.length === 0) {
      prune();
      return { folder, kind: 'portraits', jobId: null, total: files.length, skipped };
    }
    // Pruned once the analysis is done: a moved or renamed image finds its old row by content
    // and takes over its analysis instead of being analysed again.
    const jobId = this.ctx.jobs.start('analyse-portraits', folder, stale.length, async (id, signal) => {
      await this.runJob(id, folder, stale, signal, skipped);
      prune();
    });
    return { folder, kind: 'portraits', jobId, total: files.length, skipped };
  }

  private async runJob(jobId: string, folder: string, files: string[], signal: AbortSignal, skipped: SkippedFile[]): Promise<void> {
    const { emit } = this.ctx;
    const clock = new ProgressClock(files.length);
    const base = { jobId, kind: 'analyse-portraits' as const, folder };
    try {
      // One reading of the preset for the whole job: its workers and the rows' analyser id agree.
      const deps = this.deps();
      const analyser = this.openAnalyser(files.length, deps);
      try {
        await analyseInOrder(files, deps, analyser, {
          signal,
          onNext: (file) => emit({ type: 'job-progress', ...base, done: clock.done, total: clock.total, failed: clock.failed, etaMs: clock.etaMs, current: path.relative(folder, file) }),
          onResult: (_file, row) => {
            clock.tick(row.error !== null);
            emit({ type: 'portrait-analysed', portrait: this.out(row, folder) });
          },
        });
      } finally {
        await analyser.close();
      }
      emit({ type: 'job-progress', ...base, done: clock.done, total: clock.total, failed: clock.failed, etaMs: 0, current: null });
      emit({ type: 'job-finished', ...base, done: clock.done, failed: clock.failed, cancelled: signal.aborted, elapsedMs: Math.round(clock.elapsedMs), skipped });
    } catch (err) {
      emit({ type: 'job-failed', ...base, message: (err as Error).message });
    }
  }

  /** For the CLI: analyse files (using the catalog as a cache) and hand back each result in order. */
  async analyseFiles(files: string[], onResult: (row: PortraitRow, analysed: boolean) => void, signal?: AbortSignal): Promise<void> {
    await this.faceRuntimeInfo();
    const deps = this.deps();
    const analyser = this.openAnalyser(files.length, deps);
    try {
      await analyseInOrder(files, deps, analyser, { signal, onResult: (_file, row, analysed) => onResult(row, analysed) });
    } finally {
      await analyser.close();
    }
  }

  list(folder: string): Portrait[] {
    const corrections = this.ctx.corrections.under(folder);
    return this.ctx.portraits.listUnder(folder).map((r) => withFaceCorrections(toPortrait(r, folder), corrections.get(r.path)));
  }

  get(id: number): Portrait {
    const row = this.ctx.portraits.getById(id);
    if (!row) throw new EngineError('not-found', `No portrait with id ${id}.`);
    return this.out(row, this.ctx.folderOf(row.path));
  }

  correctFace(portraitId: number, faceIndex: number, reading: CorrectionInput): Portrait {
    const row = this.ctx.portraits.getById(portraitId);
    if (!row) throw new EngineError('not-found', `No portrait with id ${portraitId}.`);
    const face = toPortrait(row, path.dirname(row.path)).faces[faceIndex];
    if (!face) throw new EngineError('invalid-argument', `Portrait ${portraitId} has no face ${faceIndex + 1}.`);
    // Any of the five, calm included: the face model has no calm class, but a person may see one.
    this.ctx.corrections.setFace(row.path, face.box, reading && personPoint(reading, NEUTRAL_RADIUS));
    return this.get(portraitId);
  }

  /** Rows leave the engine with the person's readings applied, so every view and the export agree. */
  private out(row: PortraitRow, folder: string): Portrait {
    return withFaceCorrections(toPortrait(row, folder), this.ctx.corrections.of(row.path));
  }
}
