/** `portrait-songs serve`: the app in the browser, for machines without Electron or for a second screen. */
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../../engine/data-dir.ts';
import { startBrowserMode } from '../../web/browser-mode.ts';
import { canOpenBrowser, openBrowser } from '../../web/open-browser.ts';
import { UsageError, type Command } from './command.ts';

export const serve: Command = {
  name: 'serve',
  usage: 'serve [--port N] [--no-open] [--data-dir DIR]',
  summary: 'Run the app in your browser (loopback only); Ctrl+C stops it',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, 'no-open': { type: 'boolean', default: false }, 'data-dir': { type: 'string' } },
    });
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535; got "${values.port}"`);
    const app = await startBrowserMode({ dataDir: values['data-dir'] ?? defaultDataDir(), port });
    io.out(`Portrait Songs is running at ${app.server.url}`);
    if (!values['no-open'] && canOpenBrowser() && (await openBrowser(app.server.url))) io.out('Opened in your browser. Press Ctrl+C to stop.');
    else io.out('Open that address in a browser on this computer. Press Ctrl+C to stop.');
    // Kept registered: a second Ctrl+C (the terminal and `npm start` both pass it on) must not
    // kill the process while it is closing the catalog.
    await new Promise<void>((resolve) => {
      process.on('SIGINT', () => resolve());
      process.on('SIGTERM', () => resolve());
    });
    io.out('Stopping: finishing the file in progress and closing the catalog…');
    await app.stop();
    io.out('Stopped. Everything analysed so far is kept.');
    return 0;
  },
};
