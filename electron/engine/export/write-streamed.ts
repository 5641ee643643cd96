/**
 * Writes a file from pieces of text as they come, through one 1 MiB stream buffer. A 20,000-pair
 * export built each file whole first: tens of MB of text, and hundreds of MB of short-lived
 * strings behind it that the engine's heap grew to hold.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

/** Creates `file` (it must not exist) and writes every piece in order. */
export async function writeStreamed(file: string, pieces: Iterable<string>): Promise<void> {
  const out = createWriteStream(file, { flags: 'wx', highWaterMark: 1 << 20 });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  // Raced below at every wait; this only keeps an error nobody waits for from going unhandled.
  failed.catch(() => {});
  try {
    await Promise.race([once(out, 'open'), failed]);
    for (const text of pieces) {
      if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
    }
    out.end();
    await Promise.race([finished(out), failed]);
  } finally {
    out.destroy();
  }
}
