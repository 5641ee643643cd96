/**
 * Browser mode: the whole app without Electron. The engine runs in its own process from its
 * bundle (dist/electron/engine-process.js), exactly as the Electron shell runs it; this process
 * serves the built renderer, the API and the media to the person's browser over loopback HTTP.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EngineEvent, FolderKind } from '../../shared/api.ts';
import { createApiHandlers } from '../engine/api/api-handlers.ts';
import { SessionScope } from '../engine/api/session-scope.ts';
import { EngineHost, type SpawnEngine } from '../engine/host/engine-host.ts';
import { spawnNodeEngine } from '../engine/host/node-child.ts';
import { appRoot } from '../engine/models-dir.ts';
import { checkedFolderPath, isDirectory, listFolders } from '../engine/scan/list-folders.ts';
import { EngineError } from '../engine/engine-error.ts';
import { newSecret } from './web-auth.ts';
import { ReplaceQuestions } from './replace-questions.ts';
import { startWebServer, type WebServer } from './web-server.ts';

export interface BrowserModeOptions {
  dataDir: string;
  port?: number;
  /** Defaults to the built app beside this code (dist/renderer, dist/electron/engine-process.js). */
  distDir?: string;
  spawn?: SpawnEngine;
}

export interface BrowserMode {
  server: WebServer;
  engine: EngineHost;
  /** Stops the server and lets the engine finish its current file's transaction before it exits. */
  stop(): Promise<void>;
}

export function builtDistDir(): string {
  return path.join(appRoot(), 'dist');
}

export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  const distDir = options.distDir ?? builtDistDir();
  const entry = path.join(distDir, 'electron', 'engine-process.js');
  const rendererDir = path.join(distDir, 'renderer');
  for (const needed of [entry, path.join(rendererDir, 'index.html')]) {
    if (!fs.existsSync(needed)) throw new Error(`The app is not built (${needed} is missing); run npm run build first.`);
  }
  const listeners = new Set<(e: EngineEvent) => void>();
  const scope = new SessionScope();
  const engine = new EngineHost(options.spawn ?? spawnNodeEngine, entry, options.dataDir, (event) => {
    scope.observe(event);
    for (const l of listeners) l(event);
  });
  engine.start();
  const roots = new Set<string>();
  const questions = new ReplaceQuestions((event) => {
    for (const l of listeners) l(event);
  });

  // The page names the folder the person chose in the in-app picker; it must exist and be a folder.
  const existingFolder = async (suggested: string | null): Promise<string | null> => {
    if (suggested === null) return null;
    const folder = checkedFolderPath(suggested);
    if (!(await isDirectory(folder))) throw new EngineError('not-found', `The folder ${folder} does not exist.`);
    return folder;
  };
  const handlers = createApiHandlers(
    engine.api,
    {
      mediaBase: '/media/',
      thumbsDir: path.join(options.dataDir, 'thumbs'),
      folderPicker: 'in-app',
      allowRoot: (folder) => roots.add(folder),
      pickFolder: (_kind: FolderKind, suggested) => existingFolder(suggested),
      async pickExportFolder(suggested) {
        if (suggested === null) return null;
        const folder = checkedFolderPath(suggested);
        // A new folder may be named, inside one that exists.
        if (!(await isDirectory(folder)) && !(await isDirectory(path.dirname(folder)))) {
          throw new EngineError('not-found', `Neither ${folder} nor its parent folder exists.`);
        }
        return folder;
      },
      confirmReplace: (folder) => questions.ask(folder),
      answerReplace: (requestId, replace) => questions.answer(requestId, replace),
      browse: async (folder) => listFolders(folder, await engine.api.recentFolders()),
    },
    scope,
  );
  const server = await startWebServer({
    rendererDir,
    handlers,
    media: { roots: () => roots, thumbsDir: path.join(options.dataDir, 'thumbs'), mayServeThumb: (name) => scope.mayServeThumb(name) },
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    port: options.port ?? 0,
    secret: newSecret(),
  });
  return {
    server,
    engine,
    async stop() {
      await server.close();
      await engine.shutdown();
    },
  };
}
