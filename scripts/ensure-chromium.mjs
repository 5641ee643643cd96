// The renderer is tested in Debian's Chromium (Playwright cannot download its own browser
// here). Install it when missing and we may; otherwise say exactly what to do.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
// Hosted CI runners (see .github/workflows) use Playwright's own Chromium instead.
if (process.env.PORTRAIT_SONGS_CHROMIUM === 'playwright') process.exit(0);
if (fs.existsSync(CHROMIUM)) process.exit(0);

const canApt = process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get');
if (!canApt) {
  console.error(`Chromium is missing at ${CHROMIUM}. Install Debian's package first: sudo apt-get install chromium`);
  process.exit(1);
}
console.error('Installing Debian chromium for the end-to-end tests…');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-dejavu-core'], { stdio: 'inherit', env });
