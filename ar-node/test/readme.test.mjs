// The README's examples are executable: every ```js block of README.md runs
// as its own ES module (with `ar-node` resolved to this package), so the
// documentation cannot drift from what the binding does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ERROR_CODES } from '../index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const entry = new URL('../index.js', import.meta.url).href;

/** The ```js blocks, with the line each starts on. */
function jsBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    if (lines[i] !== '```js') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end += 1;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

const blocks = jsBlocks(readme);

test('README.md has runnable examples', () => {
  assert.ok(blocks.length >= 5, `found ${blocks.length} js blocks`);
});

const dir = mkdtempSync(join(tmpdir(), 'ar-readme-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

for (const { line, code } of blocks) {
  test(`README.md example at line ${line} runs`, () => {
    const file = join(dir, `example-${line}.mjs`);
    writeFileSync(file, code.replaceAll("from 'ar-node'", `from '${entry}'`));
    const out = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    assert.equal(out.status, 0, `README.md line ${line}:\n${out.stderr}`);
  });
}

test("the README's error table lists exactly ERROR_CODES", () => {
  const table = readme.slice(readme.indexOf('| Code | Family | Meaning |')).split('\n\n')[0] ?? '';
  const rows = [...table.matchAll(/^\| `([a-z_]+)` \| ([a-z_]+) \| /gm)].map((m) => m[1]);
  assert.deepEqual([...rows].sort(), [...ERROR_CODES].sort());
});

// The top-level README's Node quick start, and its error table.
const rootReadme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const rootBlocks = jsBlocks(rootReadme);

test('the top-level README has a Node quick start', () => {
  assert.ok(rootBlocks.length >= 1);
});

for (const { line, code } of rootBlocks) {
  test(`top-level README.md example at line ${line} runs`, () => {
    const file = join(dir, `root-example-${line}.mjs`);
    writeFileSync(file, code.replaceAll("from 'ar-node'", `from '${entry}'`));
    const out = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    assert.equal(out.status, 0, `README.md line ${line}:\n${out.stderr}`);
  });
}

// The error codes' reference, linked from the top-level README.
const reference = readFileSync(new URL('../../docs/reference.md', import.meta.url), 'utf8');

test("docs/reference.md's error table lists exactly ERROR_CODES", () => {
  const table = reference.slice(reference.indexOf('| code | family | raised when |')).split('\n\n')[0] ?? '';
  const rows = [...table.matchAll(/^\| `([a-z_]+)` \| ([a-z_]+) \| /gm)].map((m) => m[1]);
  assert.deepEqual([...rows].sort(), [...ERROR_CODES].sort());
});
