/** A worker thread of the music indexer: analyses one file per message. */
import { parentPort, workerData } from 'node:worker_threads';
import { analyseSong } from './analyse-song.ts';
import { adoptExecutionProvider } from '../ml/execution-provider.ts';

/** What the pool hands each worker when it starts it. */
export interface SongWorkerData {
  /** ONNX Runtime's execution provider the starting thread chose and checked; null: choose here. */
  onnxProvider: string | null;
}

export type SongJob = { id: number; file: string; thumbsDir: string };
export type SongJobResult = { id: number; ok: true; value: Awaited<ReturnType<typeof analyseSong>> } | { id: number; ok: false; message: string };

if (!parentPort) throw new Error('song-worker must run in a worker thread');
const port = parentPort;
adoptExecutionProvider((workerData as SongWorkerData | null)?.onnxProvider);
port.on('message', async (job: SongJob) => {
  try {
    port.postMessage({ id: job.id, ok: true, value: await analyseSong(job.file, job.thumbsDir) } satisfies SongJobResult);
  } catch (err) {
    port.postMessage({ id: job.id, ok: false, message: (err as Error).message } satisfies SongJobResult);
  }
});
