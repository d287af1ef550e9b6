// examples/node/demo.mjs, the Node port of the Rust demo, prints exactly the
// hand-worked report in examples/expected/demo.txt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const demo = fileURLToPath(new URL('../../examples/node/demo.mjs', import.meta.url));
const data = fileURLToPath(new URL('../../examples/data/sample', import.meta.url));
const expected = readFileSync(new URL('../../examples/expected/demo.txt', import.meta.url), 'utf8');

const run = (...args) => spawnSync(process.execPath, [demo, ...args], { encoding: 'utf8' });

test('the demo prints the expected report, byte for byte', () => {
  const out = run();
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout, expected);
  assert.equal(out.stderr, '');
});

test('the demo takes DATA_DIR and AS_OF', () => {
  const out = run(data, '2026-11-23');
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout, expected);
  const earlier = run(data, '2026-10-01');
  assert.equal(earlier.status, 0, earlier.stderr);
  assert.match(earlier.stdout, /^Open items as of 2026-10-01\n/);
});

test('the demo says how to use it, and refuses a bad date and a missing directory', () => {
  const help = run('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: demo.mjs \[DATA_DIR\] \[AS_OF\]\n/);
  const bad = run(data, '2026-13-01');
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^error: AS_OF must be a date, YYYY-MM-DD\n/);
  const missing = run('/nonexistent-ar-data');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^error: /);
});
