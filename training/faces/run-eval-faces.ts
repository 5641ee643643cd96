/**
 * `npm run eval:faces -- [--json] [--data DIR] [--split PrivateTest|PublicTest] [--subset]`: the face
 * model and the two baselines on FER-2013. A laboratory command, not the app's CLI: users have no FER-2013.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../../electron/engine/ml/backend.ts';
import { modelsDir } from '../../electron/engine/models-dir.ts';
import { DEFAULT_FER_DIR, evaluateFaces, formatReport, type FaceEvalReport } from './eval-faces.ts';
import { loadFer, regressionSubset } from './fer-data.ts';
import type { ClassificationReport } from '../common/metrics.ts';
import { UsageError, type Command } from '../../electron/cli/commands/command.ts';

const SPLITS = ['PrivateTest', 'PublicTest'] as const;

/** The report in scikit-learn's layout, as the original project printed it. */
export function sklearnReport(r: ClassificationReport): string {
  const w = Math.max(12, ...r.labels.map((l) => l.length));
  const f = (x: number) => x.toFixed(2).padStart(10);
  const lines = [`${''.padStart(w)}${'precision'.padStart(10)}${'recall'.padStart(10)}${'f1-score'.padStart(10)}${'support'.padStart(10)}`, ''];
  for (const l of r.labels) {
    const c = r.perClass[l]!;
    lines.push(`${l.padStart(w)}${f(c.precision)}${f(c.recall)}${f(c['f1-score'])}${String(c.support).padStart(10)}`);
  }
  const total = r['macro avg'].support;
  lines.push('', `${'accuracy'.padStart(w)}${''.padStart(20)}${f(r.accuracy)}${String(total).padStart(10)}`);
  for (const k of ['macro avg', 'weighted avg'] as const) {
    const c = r[k];
    lines.push(`${k.padStart(w)}${f(c.precision)}${f(c.recall)}${f(c['f1-score'])}${String(c.support).padStart(10)}`);
  }
  lines.push('', `confusion (rows true, columns predicted: ${r.labels.join(' ')})`);
  for (const [i, row] of r.confusion.entries()) lines.push(`${r.labels[i]!.padStart(w)}  ${row.map((n) => String(n).padStart(6)).join('')}`);
  return lines.join('\n');
}

export const evalFaces: Command = {
  name: 'eval-faces',
  usage: 'eval-faces [--json] [--data DIR] [--split PrivateTest|PublicTest] [--subset]',
  summary: 'Evaluate the face-emotion model and the two baselines on FER-2013',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        data: { type: 'string' },
        split: { type: 'string', default: 'PrivateTest' },
        subset: { type: 'boolean', default: false },
      },
    });
    const split = values.split as (typeof SPLITS)[number];
    if (!SPLITS.includes(split)) throw new UsageError(`--split must be one of ${SPLITS.join(', ')}`);
    if (values.subset && split !== 'PrivateTest') throw new UsageError('--subset is the fixed PrivateTest regression subset');
    const dataDir = path.resolve(values.data ?? DEFAULT_FER_DIR);
    await initBackend();
    const indices = values.subset ? regressionSubset(loadFer(dataDir)) : undefined;
    const report: FaceEvalReport = await evaluateFaces({ dataDir, split, indices, modelsDir: modelsDir() });
    if (values.json) {
      io.out(JSON.stringify(report));
      return 0;
    }
    io.out(formatReport(report));
    for (const m of report.models) {
      io.out(`\n== ${m.model}: 4 classes ==\n${sklearnReport(m.fourClass)}`);
      io.out(`\n== ${m.model}: 7 expressions (accuracy ${m.accuracy7.toFixed(4)}) ==\n${sklearnReport(m.sevenClass)}`);
    }
    return 0;
  },
};

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const io = { out: (l: string) => process.stdout.write(l + '\n'), err: (l: string) => process.stderr.write(l + '\n') };
  try {
    process.exitCode = await evalFaces.run(process.argv.slice(2), io);
  } catch (err) {
    io.err(`error: ${(err as Error).message}\nUsage: npm run eval:faces -- ${evalFaces.usage.replace(/^eval-faces /, '')}`);
    process.exitCode = err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
}
