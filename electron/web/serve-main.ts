/** Entry of dist/web/serve.js: browser mode as `npm start` falls back to it, from the bundles. */
import { serve } from '../cli/commands/serve.ts';

process.exitCode = await serve.run(process.argv.slice(2), {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
});
