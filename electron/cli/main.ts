/** The command-line host of the engine: it runs in-process, with no Electron anywhere. */
import { analyze } from './commands/analyze.ts';
import { doctor } from './commands/doctor.ts';
import { indexMusic } from './commands/index-music.ts';
import { match } from './commands/match.ts';
import { serve } from './commands/serve.ts';
import { UsageError, type CliIo, type Command } from './commands/command.ts';
import { APP_VERSION } from '../engine/version.ts';

export const COMMANDS: Command[] = [analyze, indexMusic, match, doctor, serve];

const stdio: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    `Portrait Songs ${APP_VERSION}: match art portraits with songs that feel the same.`,
    '',
    'Usage: portrait-songs <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  --help     Show this help',
    '  --version  Show the version',
    '',
    'Environment:',
    '  PORTRAIT_SONGS_BACKEND   Force a backend: tfjs-node-gpu, tfjs-node, wasm or cpu',
    '  PORTRAIT_SONGS_DATA_DIR  Where the catalog and thumbnails live',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.out(APP_VERSION);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command "${name}". Run portrait-songs --help for the list.`);
    return 2;
  }
  if (rest.includes('--help')) {
    io.out(`Usage: portrait-songs ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(err as Error).message}\nUsage: portrait-songs ${command.usage}`);
      return 2;
    }
    io.err(`error: ${(err as Error).message}`);
    return 1;
  }
}
