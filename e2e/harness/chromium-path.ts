/**
 * The Chromium the tests drive: Debian's (Playwright cannot download its own browser on our
 * build machines), or Playwright's own where PORTRAIT_SONGS_CHROMIUM=playwright (hosted CI).
 */
export function chromiumExecutable(): string | undefined {
  return process.env.PORTRAIT_SONGS_CHROMIUM === 'playwright' ? undefined : '/usr/bin/chromium';
}
