// Smoke tests for the native addon, run with the built-in `node --test` runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { version } from '../index.js';

const require = createRequire(import.meta.url);
const pkg = require('../package.json');

test('version() returns a semver string', () => {
  assert.match(version(), /^\d+\.\d+\.\d+(?:[-+].*)?$/);
});

test('version() matches package.json (keep it in sync with the crate version)', () => {
  assert.equal(version(), pkg.version);
});

test('the CommonJS entry point exposes the same binding', () => {
  const ar = require('../index.js');
  assert.equal(ar.version, version);
});
