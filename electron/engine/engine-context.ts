/** What the engine's parts share: the catalog's tables, the thumbnail folder, the job queue and the event stream. */
import path from 'node:path';
import type { EngineEvent } from '../../shared/api.ts';
import type { Db } from './catalog/open-catalog.ts';
import { FoldersTable, PortraitsTable } from './catalog/portraits-table.ts';
import { SongsTable } from './catalog/songs-table.ts';
import { CorrectionsTable } from './catalog/corrections-table.ts';
import { SettingsTable } from './catalog/settings-table.ts';
import { JobQueue } from './jobs/job-queue.ts';

export class EngineContext {
  readonly portraits: PortraitsTable;
  readonly folders: FoldersTable;
  readonly songs: SongsTable;
  readonly corrections: CorrectionsTable;
  readonly settings: SettingsTable;
  readonly jobs: JobQueue;

  constructor(
    readonly db: Db,
    readonly thumbsDir: string,
    readonly emit: (event: EngineEvent) => void,
  ) {
    this.portraits = new PortraitsTable(db);
    this.folders = new FoldersTable(db);
    this.songs = new SongsTable(db);
    this.corrections = new CorrectionsTable(db);
    this.settings = new SettingsTable(db);
    this.jobs = new JobQueue(emit);
  }

  /** The opened folder a file belongs to (its own folder where none was opened), for relative names. */
  folderOf(file: string): string {
    return this.folders.listRecent(1000).find((f) => file.startsWith(f.path + path.sep))?.path ?? path.dirname(file);
  }
}
