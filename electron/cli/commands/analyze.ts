/** `portrait-songs analyze PATH... [--json] [--db FILE]` */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../../engine/engine.ts';
import { defaultDataDir } from '../../engine/data-dir.ts';
import { isImageFile, notImageReason, walkFiles } from '../../engine/scan/walk-files.ts';
import { ProgressClock } from '../../engine/jobs/progress-clock.ts';
import type { PortraitRow } from '../../engine/catalog/portraits-table.ts';
import type { FaceResult } from '../../../shared/api.ts';
import { faceReading, type Quadrant } from '../../../shared/emotion.ts';
import { ProgressBar } from '../terminal.ts';
import { UsageError, type Command } from './command.ts';

/**
 * A face as the CLI prints it: `quadrant` is the reading the app shows (badge, plane, export:
 * faceReading, from the V/A point), `modelQuadrant` the 4-class model's most probable class.
 */
export type AnalyzeFace = Omit<FaceResult, 'quadrant'> & { quadrant: Quadrant; modelQuadrant: FaceResult['quadrant'] };

export interface AnalyzeLine {
  file: string;
  width: number | null;
  height: number | null;
  faces: AnalyzeFace[];
  quadrant: string | null;
  error?: string;
}

export function toLine(row: PortraitRow): AnalyzeLine {
  const line: AnalyzeLine = {
    file: row.path,
    width: row.width,
    height: row.height,
    faces: (JSON.parse(row.faces_json) as FaceResult[]).map((f) => ({ ...f, quadrant: faceReading(f).quadrant, modelQuadrant: f.quadrant })),
    quadrant: row.quadrant,
  };
  if (row.error) line.error = row.error;
  return line;
}

export const analyze: Command = {
  name: 'analyze',
  usage: 'analyze PATH... [--json] [--fast] [--db FILE]',
  summary: 'Find faces in images (folders are walked recursively) and read their emotion',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false }, fast: { type: 'boolean', default: false }, db: { type: 'string' } },
    });
    if (positionals.length === 0) throw new UsageError('analyze needs at least one file or folder');
    const { files, others, problems } = await walkFiles(positionals, isImageFile);
    for (const p of problems) io.err(`warning: ${p.path}: ${p.reason}`);
    for (const f of others) io.err(`skipped ${f}: ${notImageReason(f)}`);
    if (problems.length && files.length === 0 && problems.length === positionals.length) {
      io.err('error: none of the given paths exist');
      return 1;
    }
    const dbFile = values.db ? path.resolve(values.db) : undefined;
    const engine = new Engine({ dataDir: dbFile ? path.dirname(dbFile) : defaultDataDir(), dbFile, detect: values.fast ? 'fast' : 'art' });
    const clock = new ProgressClock(files.length);
    const bar = new ProgressBar(process.stderr, 'Analysing ');
    const tally = { faces: 0, withFaces: 0, errors: 0, reused: 0, byQuadrant: new Map<string, number>() };
    try {
      await engine.analyseFiles(files, (row, analysed) => {
        clock.tick(!!row.error);
        const line = toLine(row);
        if (values.json) io.out(JSON.stringify(line));
        if (!analysed) tally.reused++;
        if (line.error) tally.errors++;
        if (line.faces.length) tally.withFaces++;
        tally.faces += line.faces.length;
        if (line.quadrant) tally.byQuadrant.set(line.quadrant, (tally.byQuadrant.get(line.quadrant) ?? 0) + 1);
        if (!values.json) bar.update(clock.done, clock.total, clock.etaMs, path.basename(row.path));
      });
    } finally {
      bar.done();
      engine.close();
    }
    if (!values.json) {
      const quadrants = [...tally.byQuadrant.entries()].sort().map(([q, n]) => `${q} ${n}`).join(', ');
      io.out(`${files.length} images in ${(clock.elapsedMs / 1000).toFixed(1)} s: ${tally.withFaces} with faces (${tally.faces} faces), ${tally.errors} could not be read, ${tally.reused} already in the catalog.`);
      if (others.length || problems.length) io.out(`${others.length} other files skipped, ${problems.length} paths could not be read (listed above).`);
      if (quadrants) io.out(`Overall quadrants: ${quadrants}`);
      if (tally.errors) io.out('Run with --json to see each file\'s error.');
    }
    return 0;
  },
};
