/**
 * npm run bench:music — indexing throughput on the library and the 4Q clips, the ratio to pure
 * decoding of the same windows, and the time of an unchanged re-scan of 10,000 files.
 * Prints figures; asserts nothing. --library-only skips the 720 clips, --skip-10k the re-scan.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../electron/engine/engine.ts';
import { decodeWindow } from '../../electron/engine/music/decode-window.ts';
import { defaultMusicModel } from '../../electron/engine/music/model.ts';
import { isAudioFile } from '../../electron/engine/music/index-music-folder.ts';
import { walkFiles } from '../../electron/engine/scan/walk-files.ts';
import { SongsTable } from '../../electron/engine/catalog/songs-table.ts';
import { MUSIC_DATA } from '../paths.ts';

const DATA = MUSIC_DATA;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-bench-music-'));
const workers = Number(process.env.BENCH_WORKERS ?? os.availableParallelism());

async function pureDecode(files: string[]): Promise<{ seconds: number; audio: number }> {
  const { window } = defaultMusicModel().file;
  const t0 = performance.now();
  let audio = 0;
  // Same parallelism as the indexer, so the ratio compares like with like.
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < files.length) {
        const f = files[next++]!;
        try {
          const w = await decodeWindow(f, { windowSeconds: window.seconds, targetRate: window.sampleRate });
          audio += w.samples.length / w.sampleRate;
        } catch {
          // unreadable files cost what they cost in both measurements
        }
      }
    }),
  );
  return { seconds: (performance.now() - t0) / 1000, audio };
}

async function bench(label: string, folder: string): Promise<void> {
  const { files } = await walkFiles([folder], isAudioFile);
  const engine = new Engine({ dataDir: path.join(tmp, label) });
  const t0 = performance.now();
  const summary = await engine.indexMusic(folder, { workers });
  const seconds = (performance.now() - t0) / 1000;
  const songs = await engine.listSongs({ folder });
  engine.close();
  const analysedAudio = songs.reduce((s, x) => s + Math.min(x.duration ?? 0, defaultMusicModel().file.window.seconds), 0);
  // Pure decoding runs in this thread only; compare per worker.
  const decode = await pureDecode(files);
  console.log(`${label}: ${files.length} files, ${summary.analysed} analysed, ${summary.failed} failed, ${workers} workers`);
  console.log(`  index: ${seconds.toFixed(2)} s → ${(files.length / seconds).toFixed(2)} songs/s, ${(analysedAudio / seconds).toFixed(1)} s of analysed audio per wall second`);
  console.log(`  pure decode of the same windows (in-process, ${workers} at a time): ${decode.seconds.toFixed(2)} s → ${(files.length / decode.seconds).toFixed(2)} files/s`);
  console.log(`  indexing throughput / pure-decode throughput: ${(decode.seconds / seconds).toFixed(2)}`);
}

async function rescan10k(): Promise<void> {
  const src = path.join(DATA, 'library');
  const { files } = await walkFiles([src], isAudioFile);
  const folder = path.join(tmp, 'tenk');
  fs.mkdirSync(folder);
  const engine = new Engine({ dataDir: path.join(tmp, 'tenk-data') });
  await engine.indexMusic(src, { workers });
  const songs = new SongsTable(engine.db);
  // 10,000 hard links, each catalogued as if indexed before (a copy of its source's row with
  // its own path and stat): analysing 10,000 songs is not what this measures.
  const t0 = performance.now();
  engine.db.transaction(() => {
    for (let i = 0; i < 10_000; i++) {
      const source = files[i % files.length]!;
      const dir = path.join(folder, `d${Math.floor(i / 500)}`);
      if (i % 500 === 0) fs.mkdirSync(dir);
      const link = path.join(dir, `${i}-${path.basename(source)}`);
      fs.linkSync(source, link);
      const { id: _id, analysed_at: _at, ...row } = songs.get(source)!;
      const st = fs.statSync(link);
      songs.save({ ...row, path: link, size: st.size, mtime_ms: st.mtimeMs });
    }
  })();
  console.log(`10,000 files made and catalogued in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const t1 = performance.now();
  const again = await engine.indexMusic(folder, { workers });
  console.log(`  unchanged re-scan of 10,000 files: ${((performance.now() - t1) / 1000).toFixed(2)} s (${again.unchanged} unchanged, ${again.analysed} analysed, ${again.removed} removed)`);
  engine.close();
}

try {
  await bench('library', path.join(DATA, 'library'));
  if (!process.argv.includes('--library-only')) await bench('4q-clips', path.join(DATA, '4q-panda2018', 'audio'));
  if (!process.argv.includes('--skip-10k')) await rescan10k();
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
