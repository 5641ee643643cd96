/**
 * The one contract between the renderer and everything behind it. preload exposes exactly
 * `PortraitSongsApi` as `window.api`; the Electron main process, the CLI and the end-to-end
 * tests all serve it from the same handler table. Nothing here may import Node or DOM APIs.
 */
import type { FaceQuadrant, FerLabel, MusicQuadrant, PersonReading, Quadrant, VA } from './emotion.ts';
import type { PlaylistSpec } from './match.ts';
import type { PictureMood, ReadingKind } from './picture-mood.ts';

export type { PersonReading, PictureMood, ReadingKind };

export const BACKEND_NAMES = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendInfo {
  name: BackendName;
  /** Chosen with PORTRAIT_SONGS_BACKEND rather than by the fallback order. */
  forced: boolean;
  /** Backends tried before this one, with the reason each was passed over. */
  skipped: { name: BackendName; reason: string }[];
  tfjsVersion: string;
}

export const FOLDER_KINDS = ['portraits', 'music'] as const;
export type FolderKind = (typeof FOLDER_KINDS)[number];

/** [x, y, width, height] in pixels of the original image, after EXIF orientation. */
export type FaceBox = [number, number, number, number];

export interface FaceResult {
  box: FaceBox;
  /** Detector confidence, 0..1. */
  score: number;
  quadrant: FaceQuadrant;
  /** Probabilities of the face classes Q1, Q2, Q3, N. */
  probs: Record<FaceQuadrant, number>;
  /** Probabilities of the 7 FER expressions. */
  expressions: Record<FerLabel, number>;
  valence: number;
  arousal: number;
  /**
   * The person's own reading of this face, when they set one: the app reads it instead of the
   * model's (quadrant, probs, valence, arousal above stay the model's).
   */
  correction?: PersonReading | null;
}

export type PortraitStatus = 'pending' | 'done' | 'error';

export interface Portrait {
  id: number;
  /** Absolute path on disk. */
  path: string;
  /** Path relative to the folder that was opened, for display. */
  name: string;
  folder: string;
  status: PortraitStatus;
  width: number | null;
  height: number | null;
  faces: FaceResult[];
  /** The portrait's overall quadrant from its faces; null without faces. */
  quadrant: Quadrant | null;
  valence: number | null;
  arousal: number | null;
  /**
   * The picture's mood from its colour and light (shared/picture-mood.ts), measured on every
   * analysed image; it is the portrait's reading only where no face is found. Never a face.
   */
  mood: PictureMood | null;
  /** What the portrait's reading comes from: 'faces', 'picture-mood' (no face found), or null (none). */
  readingKind: ReadingKind | null;
  /** Why this file could not be analysed, written for a person. */
  error: string | null;
  /** Key of the cached thumbnail, served as `${mediaBase}thumb/${thumb}`. */
  thumb: string | null;
}

export interface Song {
  id: number;
  path: string;
  /** Path relative to the music folder that was opened. */
  name: string;
  folder: string;
  status: 'done' | 'error';
  title: string | null;
  artist: string | null;
  album: string | null;
  /** Seconds, from the tags or the decoder. */
  duration: number | null;
  /** Key of the cover-art thumbnail, served like portrait thumbnails. */
  cover: string | null;
  quadrant: MusicQuadrant | null;
  probs: Record<MusicQuadrant, number> | null;
  valence: number | null;
  arousal: number | null;
  error: string | null;
  /** The song's emotion stretch by stretch (a reading per analysed ≈3-s patch); null where none was made. */
  timeline: SongTimeline | null;
  /** The person's own reading, when they set one; the fields above stay the model's. */
  correction?: PersonReading | null;
}

/** One analysed stretch of a song: where it starts in the track (seconds) and how it reads there. */
export interface TimelinePoint {
  start: number;
  valence: number;
  arousal: number;
}

/**
 * The song's emotion over time, from the song model read patch by patch. Points are in
 * time order; each covers `patchSeconds` from its start. They need not tile the whole track:
 * the analyser may sample stretches of a long song.
 */
export interface SongTimeline {
  patchSeconds: number;
  points: TimelinePoint[];
}

/**
 * What a person sets: a quadrant (the point goes to its centre), a point dragged on the plane
 * (the quadrant is where it lies), or null to go back to the model's reading.
 */
export type CorrectionInput = { quadrant: Quadrant } | VA | null;

/** A file in a scanned folder that was not analysed, and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

export interface RecentFolder {
  path: string;
  kind: FolderKind;
  openedAt: string;
}

export interface FolderOpened {
  folder: string;
  kind: FolderKind;
  /** The analysis job started for it, or null when everything was already up to date. */
  jobId: string | null;
  /** Files of the folder's kind (images or audio) found. */
  total: number;
  /** Everything else found, and what could not be read, with the reason. */
  skipped: SkippedFile[];
}

/**
 * ONNX Runtime's execution provider, chosen once per process: a GPU one ('cuda', 'dml', 'coreml')
 * where it loads and its answer on a real graph matches the CPU's, else 'cpu'.
 */
export interface OnnxProviderInfo {
  name: string;
  /** Chosen from PORTRAIT_SONGS_ONNX_EP's list rather than automatically. */
  forced: boolean;
  /** Providers tried before this one, in order, with the reason each was passed over. */
  skipped: { name: string; reason: string }[];
}

/** Which runtime runs the face models: ONNX Runtime where it loads, else TensorFlow.js (`backend`). */
export interface FaceRuntimeSummary {
  name: 'onnx' | 'tfjs';
  /** ONNX Runtime's execution providers as sessions are given them (e.g. ['cuda', 'cpu']); null on TF.js. */
  executionProviders: string[] | null;
  /** The execution provider chosen and those passed over; null on TF.js (absent from older engines). */
  executionProvider?: OnnxProviderInfo | null;
  onnxruntimeVersion: string | null;
  /** Why ONNX Runtime was passed over, when it was. */
  skipped: string | null;
}

/**
 * How hard the face detector looks: 'thorough' also finds faces on coins, sculpture and prints;
 * 'quick' is about three times faster and finds the same faces on paintings (for large archives).
 */
export const FACE_SEARCHES = ['thorough', 'quick'] as const;
export type FaceSearch = (typeof FACE_SEARCHES)[number];

export interface AppInfo {
  version: string;
  backend: BackendInfo | null;
  /** Absent or null until the face runtime has been chosen. */
  faceRuntime?: FaceRuntimeSummary | null;
  /** Prefix of media URLs: `ps-media://` in the app, an http origin in tests. */
  mediaBase: string;
  recentFolders: RecentFolder[];
  dataDir: string;
  /**
   * How folders are chosen: the native dialog (Electron), or the in-app picker (browser mode,
   * where the page lists folders with browseFolders and names the one the person chose).
   */
  folderPicker: 'native' | 'in-app';
  /** The face search analyses started from now on use; kept in the data folder. */
  faceSearch: FaceSearch;
}

/** One folder's subfolders, for the in-app folder picker. */
export interface FolderListing {
  path: string;
  parent: string | null;
  folders: { name: string; path: string }[];
  /** More subfolders than are listed. */
  truncated: boolean;
  home: string;
  recent: RecentFolder[];
}

export interface ExportRequest {
  portraitFolder: string;
  musicFolder: string;
  spec: PlaylistSpec;
  /** Copy the songs and portraits into the export so the folder is portable. */
  copyMedia: boolean;
  /**
   * Ignored by the hosts, kept for compatibility: a picked folder that is not empty is replaced
   * only after the host's own "Replace?" dialog (ApiHost.confirmReplace), never on the page's word.
   */
  overwrite: boolean;
  /** Browser mode only: the folder the person chose in the in-app picker. Electron asks natively. */
  target?: string;
}

export type ExportOutcome =
  | { status: 'written'; folder: string; files: string[]; pairs: number; unmatched: number }
  | { status: 'exists'; folder: string }
  | { status: 'cancelled' };

export type JobKind = 'analyse-portraits' | 'index-music';

export interface JobProgress {
  jobId: string;
  kind: JobKind;
  folder: string;
  done: number;
  total: number;
  failed: number;
  /** Estimated milliseconds left; null until there is enough to estimate from. */
  etaMs: number | null;
  current: string | null;
}

export type EngineEvent =
  | { type: 'job-started'; jobId: string; kind: JobKind; folder: string; total: number }
  | ({ type: 'job-progress' } & JobProgress)
  | { type: 'portrait-analysed'; portrait: Portrait }
  | { type: 'song-indexed'; song: Song }
  | { type: 'songs-removed'; folder: string; ids: number[] }
  /** Portraits whose files are gone (a re-scan or the folder watcher found them missing). */
  | { type: 'portraits-removed'; folder: string; ids: number[] }
  | {
      type: 'job-finished';
      jobId: string;
      kind: JobKind;
      folder: string;
      done: number;
      failed: number;
      cancelled: boolean;
      elapsedMs: number;
      /** Files that were passed over (not audio, not images), with the reason. */
      skipped: SkippedFile[];
    }
  | { type: 'job-failed'; jobId: string; kind: JobKind; folder: string; message: string }
  | { type: 'engine-restarted'; reason: string }
  /**
   * Browser mode: its host has no dialog of its own, so it asks through the page, once, for
   * exactly the export folder it found occupied; answered with answerReplace.
   */
  | { type: 'confirm-replace'; requestId: string; folder: string }
  /** A command chosen from the application menu. */
  | { type: 'menu'; command: 'open-portraits' | 'open-music' };

/** The renderer's whole view of the app. */
export interface PortraitSongsApi {
  getAppInfo(): Promise<AppInfo>;
  /**
   * Shows the native folder dialog (Electron; `path` only suggests where it starts), or opens the
   * folder the person chose in the in-app picker (browser mode); null when the person cancels.
   */
  chooseFolder(req: { kind: FolderKind; path?: string }): Promise<FolderOpened | null>;
  /** Browser mode's in-app picker: the subfolders of `path` (the home folder when absent). */
  browseFolders(req: { path?: string }): Promise<FolderListing>;
  /** Browser mode: the person's answer to the host's 'confirm-replace' question; true when one was pending. */
  answerReplace(req: { requestId: string; replace: boolean }): Promise<{ answered: boolean }>;
  /** Re-opens a folder from the recent list (only folders the person chose before). */
  openRecentFolder(req: { path: string; kind: FolderKind }): Promise<FolderOpened>;
  /**
   * Opens what the person dropped on the window: a folder, or the folder the dropped files share,
   * as portraits or music by what it holds. Electron only opens paths its preload saw dropped.
   */
  openDroppedPaths(req: { paths: string[] }): Promise<FolderOpened>;
  listPortraits(req: { folder: string }): Promise<Portrait[]>;
  listSongs(req: { folder: string }): Promise<Song[]>;
  getPortrait(req: { id: number }): Promise<Portrait>;
  /**
   * Cached thumbnails (Portrait.thumb names) of rows the page was shown, as data: URIs in the
   * order asked, null where one cannot be had; at most THUMB_BATCH a call. The gallery asks for
   * the cards that come into view together: one call costs the page less than a request each.
   */
  readThumbnails(req: { names: string[] }): Promise<(string | null)[]>;
  /** Sets (or with null, undoes) the person's reading of one face; returns the portrait as the app now reads it. */
  correctFace(req: { portraitId: number; faceIndex: number; reading: CorrectionInput }): Promise<Portrait>;
  /** Sets (or with null, undoes) the person's reading of a song; songs have no neutral. */
  correctSong(req: { songId: number; reading: CorrectionInput }): Promise<Song>;
  cancelJob(req: { jobId: string }): Promise<{ cancelled: boolean }>;
  /**
   * Chooses the face search for analyses started from now on (a running one finishes as it began);
   * portraits analysed under the other are analysed again when their folder is next scanned.
   */
  setFaceSearch(req: { mode: FaceSearch }): Promise<AppInfo>;
  /**
   * Asks where to export (native dialog), asks again before replacing a folder that is not empty,
   * then writes pairs.csv, pairs.json, playlist.m3u8, index.html; 'cancelled' when either is declined.
   */
  exportPairs(req: ExportRequest): Promise<ExportOutcome>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

/** The most thumbnails one readThumbnails call may ask for. */
export const THUMB_BATCH = 64;
/** What a thumbnail's name looks like: its source's content hash. */
export const THUMB_NAME = /^[0-9a-f]{8,64}\.jpg$/;

export type ApiMethod = Exclude<keyof PortraitSongsApi, 'onEvent'>;
type Arg<M extends ApiMethod> = Parameters<PortraitSongsApi[M]> extends [infer A] ? A : undefined;
export type ApiArg<M extends ApiMethod> = Arg<M>;
export type ApiResult<M extends ApiMethod> = Awaited<ReturnType<PortraitSongsApi[M]>>;

/** What a host serves for each method; the shell and the tests bind the same table. */
export type ApiHandlers = { [M in ApiMethod]: (arg: ApiArg<M>) => Promise<ApiResult<M>> };

export const API_CHANNELS: { [M in ApiMethod]: string } = {
  getAppInfo: 'ps:get-app-info',
  chooseFolder: 'ps:choose-folder',
  browseFolders: 'ps:browse-folders',
  answerReplace: 'ps:answer-replace',
  openRecentFolder: 'ps:open-recent-folder',
  openDroppedPaths: 'ps:open-dropped-paths',
  listPortraits: 'ps:list-portraits',
  listSongs: 'ps:list-songs',
  getPortrait: 'ps:get-portrait',
  readThumbnails: 'ps:read-thumbnails',
  correctFace: 'ps:correct-face',
  correctSong: 'ps:correct-song',
  cancelJob: 'ps:cancel-job',
  setFaceSearch: 'ps:set-face-search',
  exportPairs: 'ps:export-pairs',
};
export const API_METHODS = Object.keys(API_CHANNELS) as ApiMethod[];
export const EVENT_CHANNEL = 'ps:event';

/**
 * Electron only: a page cannot learn where a dropped file lives, so the preload exposes, beside
 * `window.api` and apart from it (browser mode has none), `window[DROP_BRIDGE].pathForFile(file)`.
 * It also tells the shell, on its own channel, which paths a real drop carried.
 */
export const DROP_BRIDGE = 'portraitSongsDrop';
export const DROPPED_PATHS_CHANNEL = 'ps:dropped-paths';

/** Errors cross the process boundary as data, so the renderer can show them to a person. */
export interface ApiError {
  code: 'invalid-argument' | 'not-found' | 'forbidden' | 'failed' | 'unknown-channel';
  message: string;
}
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };
