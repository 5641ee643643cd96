/**
 * The engine, the CLI and shared code run where no Electron binary exists: follow their real
 * import graphs with esbuild and fail if `electron` is anywhere in them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { build } from 'esbuild';

const REPO = path.resolve(import.meta.dirname, '../..');
const ENTRIES = ['electron/engine/engine.ts', 'electron/engine/host/utility-entry.ts', 'electron/cli/main.ts', 'electron/engine/api/dispatch.ts', 'shared/api-client.ts'];

async function importedPackages(entry: string): Promise<Set<string>> {
  const result = await build({
    entryPoints: [path.join(REPO, entry)],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
  });
  const seen = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) for (const imp of input.imports) if (imp.external) seen.add(imp.path);
  return seen;
}

for (const entry of ENTRIES) {
  test(`${entry} never imports electron`, async () => {
    const pkgs = await importedPackages(entry);
    assert.ok(pkgs.size > 0 || entry.startsWith('shared/'), 'the graph was followed');
    const offenders = [...pkgs].filter((p) => p === 'electron' || p.startsWith('electron/'));
    assert.deepEqual(offenders, []);
  });
}

test('the check itself catches electron in the shell', async () => {
  const pkgs = await importedPackages('electron/shell/main.ts');
  assert.ok(pkgs.has('electron'));
});
