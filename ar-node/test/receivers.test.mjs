// A method called on something that is not a live instance (a copy made by
// structuredClone, `{}`, `Object.create(Ledger.prototype)`, another class's
// instance) is `invalid_type` naming `this`, for every method and getter of
// every exported class; V8 used to throw a bare "Illegal invocation".
// Constructors must be called with `new`, factories on their class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import * as ar from '../index.js';
import { build, throwsCode } from './scenario.mjs';

const { Book, Ledger, Matcher } = ar;

/** The exported native classes: functions whose prototype has members (not ArError, a JS subclass of Error). */
const classes = Object.entries(ar).filter(
  ([, v]) =>
    typeof v === 'function' && v !== ar.ArError && Object.getOwnPropertyNames(v.prototype ?? {}).some((n) => n !== 'constructor'),
);

/** Every member of a class's prototype: [name, call(receiver)]. */
function members(Class) {
  return Object.getOwnPropertyNames(Class.prototype)
    .filter((n) => n !== 'constructor')
    .map((name) => {
      const d = Object.getOwnPropertyDescriptor(Class.prototype, name);
      return [name, d.get ? (self) => d.get.call(self) : (self) => d.value.call(self)];
    });
}

const book = () =>
  new Book({ currency: 'USD', invoices: [{ id: 'I1', customer: 'C', date: '2026-01-01', dueDate: '2026-01-31', amount: '10.00' }] });
const matcher = () =>
  new Matcher([{ kind: 'invoice', id: 'I1', customer: 'C', currency: 'USD', date: '2026-01-01', dueDate: '2026-01-31', open: '10.00' }]);
const instances = { Ledger: build, Book: book, Matcher: matcher };

test('the classes are the three the binding exports', () => {
  assert.deepEqual(classes.map(([name]) => name).sort(), ['Book', 'Ledger', 'Matcher']);
});

test('every method and getter of every class, called on what is not a live instance, is invalid_type', () => {
  const live = { Ledger: build(), Book: book(), Matcher: matcher() };
  let calls = 0;
  for (const [name, Class] of classes) {
    const others = Object.entries(live).filter(([n]) => n !== name).map(([, v]) => v);
    const receivers = [
      ['a plain object', {}],
      ['a structured clone', structuredClone(live[name])],
      ['a clone given the prototype back', Object.setPrototypeOf(structuredClone(live[name]), Class.prototype)],
      ['Object.create(prototype)', Object.create(Class.prototype)],
      ['the prototype', Class.prototype],
      ['the class', Class],
      ['undefined', undefined],
      ['null', null],
      ['a number', 7],
      ['a string', 'Ledger'],
      ['an array', []],
      ...others.map((o) => ['an instance of another class', o]),
      ...others.map((o) => ['another instance given this prototype', Object.setPrototypeOf(Object.create(o), Class.prototype)]),
    ];
    for (const [member, call] of members(Class)) {
      for (const [what, self] of receivers) {
        const e = throwsCode(assert, () => call(self), 'invalid_type');
        assert.equal(e.family, 'validation');
        assert.ok(e.message.startsWith(`invalid_type: this: expected a live ${name}: ${name}.${member} must be called on`), `${what}: ${e.message}`);
        calls += 1;
      }
    }
  }
  assert.ok(calls > 500, `${calls}`);
  // The live instances are untouched, and work.
  assert.equal(live.Ledger.toJson(), build().toJson());
  assert.equal(live.Book.invoiceCount, 1);
  assert.equal(live.Matcher.propose({ id: 'R', date: '2026-01-05', amount: '10.00', currency: 'USD', customer: 'C' }).status, 'auto');
});

test('the message says what went wrong', () => {
  const e = throwsCode(assert, () => Ledger.prototype.openItems.call({}), 'invalid_type');
  assert.equal(
    e.message,
    'invalid_type: this: expected a live Ledger: Ledger.openItems must be called on an object made by new Ledger() '
      + 'or a Ledger factory (a copy made by structuredClone or postMessage is a plain object with no Ledger behind it), got an object',
  );
  const g = throwsCode(assert, () => Object.getOwnPropertyDescriptor(Ledger.prototype, 'length').get.call(undefined), 'invalid_type');
  // As for any native function, an undefined receiver is the global object.
  assert.match(g.message, /Ledger\.length must be called on .*, got an object$/);
});

test('a clone of a ledger has no ledger behind it: a plain object with none of its data', () => {
  const l = build();
  const clone = structuredClone(l);
  assert.deepEqual(Object.getPrototypeOf(clone), Object.prototype);
  assert.deepEqual(Object.keys(clone), []);
  assert.equal(clone.openItems, undefined);
});

test('members keep their names, and work on instances and on instances of subclasses', () => {
  assert.equal(Ledger.prototype.openItems.name, 'openItems');
  assert.equal(Object.getOwnPropertyDescriptor(Ledger.prototype, 'length').get.name, 'length');
  class Audited extends Ledger {
    openCount() {
      return this.openItems().length;
    }
  }
  const a = new Audited();
  a.registerCustomer({ id: 'C', name: 'C', currency: 'USD' });
  a.issueInvoice({ id: 'I', customer: 'C', date: '2026-01-01', lines: [{ quantity: '1', unitPrice: '5.00' }] });
  assert.equal(a.openCount(), 1);
  assert.equal(a.length, 2);
  assert.ok(a instanceof Ledger);
  // A subclass's factory makes the subclass.
  const copy = Audited.fromJson(a.toJson());
  assert.ok(copy instanceof Audited);
  assert.equal(copy.openCount(), 1);
});

test('a constructor called without new is invalid_type, and wraps nothing', () => {
  for (const Class of [Ledger, Book, Matcher]) {
    const plain = {};
    for (const call of [() => Class(), () => Class.call(plain), () => Class.call(globalThis), () => Reflect.construct(Class, [], Object)]) {
      const e = throwsCode(assert, call, 'invalid_type');
      assert.ok(e.message.startsWith(`invalid_type: this: expected a new ${Class.name}: ${Class.name} is a class, to be called with \`new`), e.message);
    }
    // Nothing was wrapped: neither the plain object nor the global object is an instance now.
    for (const [, call] of members(Class)) {
      throwsCode(assert, () => call(plain), 'invalid_type');
      throwsCode(assert, () => call(globalThis), 'invalid_type');
    }
  }
  // A live object cannot be constructed again.
  const l = build();
  throwsCode(assert, () => Ledger.call(l), 'invalid_type');
  assert.equal(l.toJson(), build().toJson());
});

test('every static method of every class checks its receiver', async () => {
  // napi defines static methods read-only, so they are not wrapped: each
  // checks its `this` itself. A new one must be listed here, with valid
  // arguments, to be held to it.
  const json = build().toJson();
  const valid = {
    'Ledger.fromJson': [json],
    'Ledger.fromTables': [{ customers: [], invoices: [] }],
    'Ledger.fromBookRows': [{ customers: [], invoices: [], creditMemos: [], receipts: [], applications: [] }],
    'Ledger.fromJsonAsync': [json],
    'Ledger.fromTablesAsync': [{ customers: [], invoices: [] }],
    'Book.fromTablesAsync': [{ invoices: [], currency: 'USD' }],
    'Ledger.restore': [new Ledger().snapshot()],
    'Ledger.restoreAsync': [new Ledger().snapshot()],
  };
  const statics = classes.flatMap(([name, Class]) => Object.getOwnPropertyNames(Class)
    .filter((key) => key !== 'prototype' && typeof Class[key] === 'function')
    .map((key) => [`${name}.${key}`, Class[key]]));
  assert.deepEqual(statics.map(([n]) => n).sort(), Object.keys(valid).sort());
  for (const [name, fn] of statics) {
    const Class = name.startsWith('Book') ? Book : Ledger;
    for (const self of [undefined, {}, name.startsWith('Book') ? Ledger : Book, Matcher, () => ({})]) {
      // An async factory rejects with the error the sync one throws.
      const e = name.endsWith('Async')
        ? await fn.call(self, ...valid[name]).then(() => assert.fail(`${name} resolved`), (error) => error)
        : throwsCode(assert, () => fn.call(self, ...valid[name]), 'invalid_type');
      assert.equal(e.code, 'invalid_type', name);
      assert.match(e.message, /^invalid_type: this: expected \w+ or a subclass/, name);
    }
    // On its class it works.
    assert.ok((await fn.call(Class, ...valid[name])) instanceof Class, name);
  }
});

test('a factory detached from its class, or called on another, is invalid_type', () => {
  const json = build().toJson();
  const { fromJson, fromTables } = Ledger;
  const cases = [
    () => fromJson(json),
    () => fromTables({ customers: [], invoices: [] }),
    () => Ledger.fromJson.call({}, json),
    () => Ledger.fromJson.call(Book, json),
    () => Ledger.fromJson.call(() => ({}), json),
  ];
  for (const fn of cases) {
    const e = throwsCode(assert, fn, 'invalid_type');
    assert.match(e.message, /^invalid_type: this: expected Ledger or a subclass: call it as Ledger\.from(Json|Tables)\(\.\.\.\)/);
  }
  assert.equal(Ledger.fromJson.call(Ledger, json).toJson(), json);
});

test('the addon loaded twice in one thread: the classes of both loads work and check their receivers', () => {
  const require = createRequire(import.meta.url);
  const path = require.resolve('../index.js');
  const first = require(path);
  for (const key of Object.keys(require.cache)) delete require.cache[key];
  const second = require(path);
  assert.notEqual(first.Ledger, second.Ledger);
  // One error class for both loads: an error of either is an ArError of both.
  assert.equal(first.ArError, second.ArError);
  for (const ar2 of [first, second]) {
    const l = new ar2.Ledger();
    l.registerCustomer({ id: 'C', name: 'C', currency: 'USD' });
    assert.equal(ar2.Ledger.fromJson(l.toJson()).length, 1);
    throwsCode(assert, () => ar2.Ledger(), 'invalid_type');
    throwsCode(assert, () => ar2.Ledger.prototype.toJson.call({}), 'invalid_type');
  }
});
