// The install script (scripts/install.mjs), run on copies of the package's
// layout in a temporary folder: it builds only when the native module is
// missing and the package is installed as a dependency, names the file as
// index.js loads it, and otherwise says which one command to run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = new URL('../scripts/install.mjs', import.meta.url);
const here = new URL('..', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'ar-install-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
/** A checkout (`Cargo.toml` beside `ar-node/`, unless `checkout` is false) with the script in ar-node/scripts. */
function layout({ checkout = true } = {}) {
  const top = join(root, `case-${(count += 1)}`);
  const pkg = join(top, 'ar-node');
  mkdirSync(join(pkg, 'scripts'), { recursive: true });
  copyFileSync(script, join(pkg, 'scripts', 'install.mjs'));
  if (checkout) writeFileSync(join(top, 'Cargo.toml'), '[workspace]\n');
  return pkg;
}

function run(pkg, env) {
  return spawnSync(process.execPath, [join(pkg, 'scripts', 'install.mjs')], {
    cwd: pkg,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
}

test('a native module already there: nothing is done', () => {
  const pkg = layout();
  writeFileSync(join(pkg, 'ar.linux-x64-gnu.node'), '');
  const out = run(pkg, { INIT_CWD: root, PATH: '' });
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stderr, '');
});

test('installed in ar-node itself: no build (the build comes next), and the command is named', () => {
  const pkg = layout();
  const out = run(pkg, { INIT_CWD: pkg, PATH: '' });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stderr, /npx napi build --platform --release/);
  assert.deepEqual(readdirSync(pkg), ['scripts']);
});

test('as a dependency without cargo: fails, naming the command that builds', () => {
  const pkg = layout();
  const out = run(pkg, { INIT_CWD: root, PATH: '' });
  assert.equal(out.status, 1);
  assert.match(out.stderr, /cargo is not on PATH: install Rust \(https:\/\/rustup\.rs\), then run `npm rebuild ar-node`/);
});

test('outside a checkout: fails, saying to install from one', () => {
  const pkg = layout({ checkout: false });
  const out = run(pkg, { INIT_CWD: root });
  assert.equal(out.status, 1);
  assert.match(out.stderr, /install from a checkout of ar/);
});

test('as a dependency: cargo builds the library, copied to the name index.js loads', () => {
  const pkg = layout();
  // A stand-in for cargo: reports one artifact, as `--message-format=json` does.
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  const library = join(root, 'libar_node.so');
  writeFileSync(library, 'not really a library');
  const artifact = { reason: 'compiler-artifact', target: { name: 'ar_node', kind: ['cdylib'] }, filenames: [library] };
  writeFileSync(join(bin, 'cargo'), `#!/bin/sh\necho "$@" >&2\necho '${JSON.stringify(artifact)}'\n`);
  chmodSync(join(bin, 'cargo'), 0o755);
  const out = run(pkg, { INIT_CWD: root, PATH: `${bin}:${process.env.PATH}` });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stderr, /building the native module: cargo build -p ar-node --release/);
  assert.match(out.stderr, /^build -p ar-node --message-format=json-render-diagnostics --release$/m);
  // The name napi's build gave the module this suite loads.
  const loaded = readdirSync(here).filter((f) => /^ar\..+\.node$/.test(f));
  assert.equal(loaded.length, 1, String(loaded));
  assert.ok(existsSync(join(pkg, loaded[0])), `${readdirSync(pkg)} lacks ${loaded[0]}`);
  // A failing build fails the install, naming the command to run again.
  rmSync(join(pkg, loaded[0]));
  writeFileSync(join(bin, 'cargo'), '#!/bin/sh\necho "error: it broke" >&2\nexit 101\n');
  const failed = run(pkg, { INIT_CWD: root, PATH: `${bin}:${process.env.PATH}`, AR_NODE_PROFILE: 'debug' });
  assert.equal(failed.status, 1);
  assert.match(failed.stderr, /cargo build -p ar-node \(a few minutes/);
  assert.match(failed.stderr, /cargo failed \(exit 101, its errors above\): fix them, then run `npm rebuild ar-node`/);
});
