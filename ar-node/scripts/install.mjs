// The package's `install` script: builds the native module when it is
// missing, so that `npm install ./ar-node` from a checkout gives a package
// that loads (rather than index.js's "Cannot find native binding" later).
//
// - The native module is already there (`ar.<platform>.node`): nothing to do.
// - Installed in ar-node itself (`npm ci` / `npm install` in this folder,
//   as scripts/test.sh does before its own `napi build`): nothing is built
//   here, so nothing is built twice; the README says to run the build next.
// - Installed as a dependency (`npm install ./ar-node`, `npm rebuild
//   ar-node`): `cargo build --release -p ar-node`, then the library is
//   copied to the name index.js loads. AR_NODE_PROFILE=debug builds the
//   debug profile instead (quicker to build, much slower to run).
//
// npm shows a dependency's install output only when it fails (or with
// --foreground-scripts), so progress also goes to the terminal when there is
// one. Any failure exits 1 with a message naming the one command to run.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, openSync, readdirSync, realpathSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = realpathSync(join(dirname(fileURLToPath(import.meta.url)), '..'));
const REBUILD = 'npm rebuild ar-node';

/** Where progress is seen: stderr, and the terminal when npm hides stderr. */
const tty = (() => {
  if (process.stderr.isTTY) return null;
  try {
    return openSync('/dev/tty', 'w');
  } catch {
    return null;
  }
})();
function say(line) {
  process.stderr.write(`ar-node: ${line}\n`);
  if (tty !== null) {
    try {
      writeSync(tty, `ar-node: ${line}\n`);
    } catch {
      // The terminal went away; stderr still has it.
    }
  }
}
function fail(line) {
  say(line);
  process.exit(1);
}

/** The suffix of the file index.js loads on this platform: `linux-x64-gnu`, ... */
function platformName() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const glibc = process.report?.getReport?.()?.header?.glibcVersionRuntime;
    const abi = glibc ? 'gnu' : 'musl';
    return arch === 'arm' ? `linux-arm-${abi}eabihf` : `linux-${arch}-${abi}`;
  }
  if (platform === 'darwin') return `darwin-${arch}`;
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

if (readdirSync(pkg).some((f) => /^ar\..+\.node$/.test(f))) process.exit(0);

const initCwd = process.env.INIT_CWD;
if (initCwd && existsSync(initCwd) && realpathSync(initCwd) === pkg) {
  say('no native module yet: build it with `npx napi build --platform --release` (after this install)');
  process.exit(0);
}

if (!existsSync(join(pkg, '..', 'Cargo.toml'))) {
  fail(`no native module, and no ar checkout around ${pkg} to build one from: install from a checkout of ar (npm install /path/to/ar/ar-node)`);
}

const release = process.env.AR_NODE_PROFILE !== 'debug';
const args = ['build', '-p', 'ar-node', '--message-format=json-render-diagnostics', ...(release ? ['--release'] : [])];
say(`building the native module: cargo ${args.filter((a) => !a.startsWith('--message')).join(' ')} (a few minutes the first time)`);

const started = Date.now();
let compiled = 0;
let library = null;
let pending = '';
const cargo = spawn('cargo', args, { cwd: pkg, stdio: ['ignore', 'pipe', 'inherit'] });
const heartbeat = setInterval(() => {
  say(`still building: ${Math.round((Date.now() - started) / 1000)} s, ${compiled} crates compiled`);
}, 15_000);
cargo.stdout.setEncoding('utf8');
cargo.stdout.on('data', (chunk) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      continue;
    }
    if (message.reason !== 'compiler-artifact') continue;
    compiled += 1;
    if (message.target?.name === 'ar_node' && message.target.kind?.includes('cdylib')) {
      library = message.filenames?.find((f) => /\.(so|dylib|dll)$/.test(f)) ?? null;
    }
  }
});
cargo.on('error', (e) => {
  clearInterval(heartbeat);
  fail(
    e.code === 'ENOENT'
      ? `the native module is not built and cargo is not on PATH: install Rust (https://rustup.rs), then run \`${REBUILD}\``
      : `could not run cargo (${e.message}): fix that, then run \`${REBUILD}\``,
  );
});
cargo.on('close', (code) => {
  clearInterval(heartbeat);
  if (code !== 0) fail(`cargo failed (exit ${code}, its errors above): fix them, then run \`${REBUILD}\``);
  if (library === null) fail(`cargo built no ar_node library: run \`${REBUILD}\` to try again`);
  const target = join(pkg, `ar.${platformName()}.node`);
  copyFileSync(library, target);
  say(`built ${target} in ${Math.round((Date.now() - started) / 1000)} s`);
});
