#!/usr/bin/env node
// Adds the missing per-platform optional packages to package-lock.json.
//
// Why: napi-rs tools (@napi-rs/lzma, @napi-rs/tar, @napi-rs/wasm-tools, pulled
// in by @napi-rs/cli) ship one optional package per platform. The npm registry
// this project's machines reach serves only the linux-x64-gnu ones, so
// `npm install` silently leaves the others out of the lockfile, and `npm ci`
// then refuses the lockfile ("Missing: @napi-rs/lzma-darwin-arm64@ from lock
// file"). This script records them the way npm does for other platforms'
// optional packages (version + os/cpu/libc, no tarball), so `npm ci` accepts
// the lockfile and skips them on this platform without fetching anything.
//
// Run it after every `npm install` that changes package-lock.json:
//   node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const lockPath = fileURLToPath(new URL('../package-lock.json', import.meta.url));
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

// napi-rs platform package suffixes: <name>-<platform>-<arch>[-<abi>].
const OS = { android: 'android', darwin: 'darwin', freebsd: 'freebsd', linux: 'linux', win32: 'win32' };
const ARCH = { arm64: 'arm64', x64: 'x64', ia32: 'ia32', arm: 'arm', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x' };

function platformFields(name, parent) {
  const suffix = name.slice(parent.length + 1);
  if (suffix.startsWith('wasm32-wasi')) return { cpu: ['wasm32'] };
  const [os, arch, abi] = suffix.split('-');
  const fields = {};
  if (OS[os]) fields.os = [OS[os]];
  if (ARCH[arch]) fields.cpu = [ARCH[arch]];
  if (os === 'linux' && abi === 'gnu') fields.libc = ['glibc'];
  if (os === 'linux' && abi === 'musl') fields.libc = ['musl'];
  return fields;
}

let added = 0;
for (const [path, meta] of Object.entries(packages)) {
  const parentName = path.replace(/^.*node_modules\//, '');
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    if (packages[`node_modules/${dep}`] || packages[`${path}/node_modules/${dep}`]) continue;
    // Same key order as npm writes (version first, the rest alphabetical),
    // so a later `npm install` leaves these entries byte-for-byte unchanged.
    const { cpu, libc, os } = platformFields(dep, parentName);
    packages[`node_modules/${dep}`] = {
      version,
      ...(cpu ? { cpu } : {}),
      ...(meta.dev ? { dev: true } : {}),
      ...(libc ? { libc } : {}),
      optional: true,
      ...(os ? { os } : {}),
    };
    added += 1;
  }
}

const sorted = Object.keys(packages).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0));
lock.packages = Object.fromEntries(sorted.map((k) => [k, packages[k]]));
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} optional platform package(s)`);
