// Calls every export of the Go guest (transpiled by jco into ./out) with
// chosen values and checks what it returns and what it passed to the host
// imports (host.mjs). Prints "ok LABEL" or "FAIL LABEL: why" per check,
// "note ..." for figures, and "done N" at the end; TestJcoRuntime reads
// these lines.
import * as component from './out/rt.js';
import { received, counterLog, logged } from './host.mjs';

// The exports, wrapped to note which ones the script uses: at the end
// every export must have been called.
const used = new Set();
const noting = (name, obj) => new Proxy(obj, {
  get(target, key) {
    used.add(`${name}.${String(key)}`);
    return target[key];
  },
});
const forward = noting('forward', component.forward);
const things = noting('things', component.things);
const inline = noting('inline', component.inline);
const run = (...args) => {
  used.add('run');
  return component.run(...args);
};

let checks = 0;
const ok = (label) => { checks++; console.log(`ok ${label}`); };
const fail = (label, why) => { checks++; console.log(`FAIL ${label}: ${why}`); };

// show prints a value for a message; long lists and strings are cut.
const items = (v) => {
  const head = Array.from(v.slice(0, 8), show).join(', ');
  return v.length > 8 ? `${head}, ... ${v.length} items` : head;
};
const show = (v) => {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Map) return `Map(${show([...v.entries()])})`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}[${items(v)}]`;
  if (Array.isArray(v)) return `[${items(v)}]`;
  if (typeof v === 'string' && v.length > 40) return `${JSON.stringify(v.slice(0, 40))}... (${v.length} chars)`;
  if (v && typeof v === 'object') return `{${Object.keys(v).map((k) => `${k}: ${show(v[k])}`).join(', ')}}`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (Object.is(v, -0)) return '-0';
  return String(v);
};

// same is strict structural equality: types must match (bigint vs number,
// typed array kinds), NaN equals NaN, -0 differs from 0, maps compare as
// maps (order does not matter), and an absent record field equals an
// undefined one (jco writes absent options both ways).
function same(a, b) {
  if (typeof a !== typeof b) return false;
  if (typeof a === 'number') return Object.is(a, b);
  if (a === null || typeof a !== 'object') return a === b;
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !same(v, b.get(k))) return false;
    return true;
  }
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (a.constructor !== b.constructor || a.length !== b.length) return false;
    return a.every((x, i) => same(x, b[i]));
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (!same(a[k], b[k])) return false;
  return true;
}

function expectSame(label, got, want) {
  if (same(got, want)) ok(label);
  else fail(label, `got ${show(got).slice(0, 400)}, want ${show(want).slice(0, 400)}`);
}

// call runs fn and returns ['ok', value] or ['err', payload] for a
// ComponentError (an export's result<T, E> error); other throws fail.
function call(label, fn) {
  try {
    return ['ok', fn()];
  } catch (e) {
    if (e && Object.prototype.hasOwnProperty.call(e, 'payload')) return ['err', e.payload];
    fail(label, `threw ${e && e.stack || e}`);
    return ['threw', e];
  }
}

const flags = (names) => (...set) => Object.fromEntries(names.map((n) => [n, set.includes(n)]));
const one = flags(['a']);
const nine = flags(['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9']);
const thirtyTwo = flags(Array.from({ length: 32 }, (_, i) => `b${i}`));
const inner = (name, tags, score) => ({ name, tags, score });

// Each case calls forward[fn](...args). The export calls the import of the
// same name, which records its arguments and echoes them. want is the
// export's outcome (['ok', v] or ['err', payload]); sent is what the
// import must have received (default: args).
const cases = [
  ['echoBool', [true], ['ok', true]],
  ['echoBool', [false], ['ok', false]],
  ['echoU8', [0], ['ok', 0]],
  ['echoU8', [255], ['ok', 255]],
  ['echoS8', [-128], ['ok', -128]],
  ['echoS8', [127], ['ok', 127]],
  ['echoU16', [65535], ['ok', 65535]],
  ['echoS16', [-32768], ['ok', -32768]],
  ['echoU32', [0], ['ok', 0]],
  ['echoU32', [4294967295], ['ok', 4294967295]],
  ['echoS32', [-2147483648], ['ok', -2147483648]],
  ['echoS32', [2147483647], ['ok', 2147483647]],
  ['echoU64', [0n], ['ok', 0n]],
  ['echoU64', [18446744073709551615n], ['ok', 18446744073709551615n]],
  ['echoS64', [-9223372036854775808n], ['ok', -9223372036854775808n]],
  ['echoS64', [9223372036854775807n], ['ok', 9223372036854775807n]],
  ['echoF32', [3.5], ['ok', 3.5]],
  ['echoF32', [-Infinity], ['ok', -Infinity]],
  ['echoF32', [-0], ['ok', -0]],
  ['echoF32', [Math.fround(1e-45)], ['ok', Math.fround(1e-45)]],
  ['echoF32', [Math.fround(3.4028234663852886e38)], ['ok', Math.fround(3.4028234663852886e38)]],
  ['echoF32', [NaN], ['ok', NaN]],
  ['echoF64', [-1.7976931348623157e308], ['ok', -1.7976931348623157e308]],
  ['echoF64', [5e-324], ['ok', 5e-324]],
  ['echoF64', [Infinity], ['ok', Infinity]],
  ['echoF64', [NaN], ['ok', NaN]],
  ['echoChar', ['a'], ['ok', 'a']],
  ['echoChar', ['\u00e9'], ['ok', '\u00e9']],
  ['echoChar', ['😀'], ['ok', '😀']],
  ['echoChar', ['\u{10ffff}'], ['ok', '\u{10ffff}']],
  ['echoString', [''], ['ok', '']],
  ['echoString', ['héllo, 世界 😀'], ['ok', 'héllo, 世界 😀']],
  ['echoString', ['x'.repeat(100000)], ['ok', 'x'.repeat(100000)]],
  ['echoString', ['a\0b\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}'], ['ok', 'a\0b\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}']],
  ['echoBytes', [new Uint8Array([])], ['ok', new Uint8Array([])]],
  ['echoBytes', [new Uint8Array([0, 1, 127, 128, 255])], ['ok', new Uint8Array([0, 1, 127, 128, 255])]],
  ['echoFloats', [new Float64Array([1.5, -2.25, 0, -0, Infinity])], ['ok', new Float64Array([1.5, -2.25, 0, -0, Infinity])]],
  ['echoStrings', [['a', '', 'ünï', '😀😀']], ['ok', ['a', '', 'ünï', '😀😀']]],
  ['echoStrings', [[]], ['ok', []]],
  ['echoPoints', [[{ x: -1, y: 2 }, { x: 2147483647, y: -2147483648 }]], ['ok', [{ x: -1, y: 2 }, { x: 2147483647, y: -2147483648 }]]],
  ['echoPoints', [[]], ['ok', []]],
];

const outers = [
  {
    id: 18446744073709551615n, inner: inner('n', ['t1', 't2'], 1.5), maybe: undefined,
    choice: { tag: 'rect', val: [1.5, 2.5] }, res: { tag: 'err', val: 'bad' },
    pts: [{ x: 1, y: 2 }], c: 'blue', f: nine('f1', 'f9'),
  },
  {
    id: 0n, inner: inner('', [], undefined), maybe: inner('m', ['x', 'ÿ'], -0.5),
    choice: { tag: 'nested', val: { tag: 'ok', val: 7 } }, res: { tag: 'ok', val: inner('ok', [], undefined) },
    pts: [], c: 'red', f: nine(),
  },
];
for (const o of outers) cases.push(['echoOuter', [o], ['ok', o]]);

const shapes = [
  { tag: 'circle', val: 2.5 }, { tag: 'rect', val: [-1, 1e10] }, { tag: 'named', val: 'x' }, { tag: 'named', val: '' },
  { tag: 'empty' }, { tag: 'nested', val: undefined }, { tag: 'nested', val: { tag: 'err', val: 'e' } },
  { tag: 'nested', val: { tag: 'ok', val: 255 } },
];
for (const s of shapes) cases.push(['echoShape', [s], ['ok', s]]);

for (const o of [{ tag: 'none' }, { tag: 'some', val: undefined }, { tag: 'some', val: 'x' }, { tag: 'some', val: '' }]) {
  cases.push(['echoOption', [o], ['ok', o]]);
}

cases.push(
  ['echoResult', [{ tag: 'ok', val: new Uint32Array([1, 2, 4294967295]) }], ['ok', new Uint32Array([1, 2, 4294967295])]],
  ['echoResult', [{ tag: 'ok', val: new Uint32Array([]) }], ['ok', new Uint32Array([])]],
  ['echoResult', [{ tag: 'err', val: 'green' }], ['err', 'green']],
  ['echoFlags', [one('a'), nine('f1', 'f9'), thirtyTwo('b0', 'b15', 'b31')], ['ok', [one('a'), nine('f1', 'f9'), thirtyTwo('b0', 'b15', 'b31')]]],
  ['echoFlags', [one(), nine(), thirtyTwo()], ['ok', [one(), nine(), thirtyTwo()]]],
  ['echoFlags', [one('a'), nine('f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9'), thirtyTwo(...Array.from({ length: 32 }, (_, i) => `b${i}`))],
    ['ok', [one('a'), nine('f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9'), thirtyTwo(...Array.from({ length: 32 }, (_, i) => `b${i}`))]]],
  ['echoFixed', [[1, 2, 65535]], ['ok', [1, 2, 65535]]],
  ['echoMap', [new Map([['k', 1]])], ['ok', new Map([['k', 1]])]],
  ['echoMap', [new Map()], ['ok', new Map()]],
  ['echoMap', [new Map([['a', 0], ['ü', 4294967295], ['', 7]])], ['ok', new Map([['a', 0], ['ü', 4294967295], ['', 7]])]],
  ['echoTuple', [[255, 's', 1.25, 'z']], ['ok', [255, 's', 1.25, 'z']]],
  ['echoTuple', [[0, '', -0, '\u{10ffff}']], ['ok', [0, '', -0, '\u{10ffff}']]],
  ['checked', [2], ['ok', 2]],
  ['checked', [3], ['err', 'odd']],
  ['unit', [4], ['ok', undefined]],
  ['unit', [5], ['err', 5]],
);
cases.push(
  ['echoU64s', [new BigUint64Array([0n, 1n, 18446744073709551615n])], ['ok', new BigUint64Array([0n, 1n, 18446744073709551615n])]],
  ['echoU64s', [new BigUint64Array([])], ['ok', new BigUint64Array([])]],
  ['echoS8s', [new Int8Array([-128, -1, 0, 127])], ['ok', new Int8Array([-128, -1, 0, 127])]],
  ['echoBools', [[true, false, false, true, true]], ['ok', [true, false, false, true, true]]],
  ['echoBools', [[]], ['ok', []]],
  ['echoChars', [['a', 'é', '世', '😀', '\u{10ffff}', '\0']], ['ok', ['a', 'é', '世', '😀', '\u{10ffff}', '\0']]],
  ['echoNestedLists', [[[], ['a'], ['', 'ü', 'long '.repeat(50)], []]], ['ok', [[], ['a'], ['', 'ü', 'long '.repeat(50)], []]]],
  ['echoNestedLists', [[]], ['ok', []]],
  ['echoOptions', [[undefined, 0, 4294967295, undefined]], ['ok', [undefined, 0, 4294967295, undefined]]],
  ['echoOuters', [outers], ['ok', outers]],
  ['echoOuters', [[]], ['ok', []]],
  ['echoBareResult', [{ tag: 'ok', val: undefined }], ['ok', undefined]],
  ['echoBareResult', [{ tag: 'err', val: undefined }], ['err', undefined]],
  ['echoOkOnly', [{ tag: 'ok', val: 'fine ✓' }], ['ok', 'fine ✓']],
  ['echoOkOnly', [{ tag: 'ok', val: '' }], ['ok', '']],
  ['echoOkOnly', [{ tag: 'err', val: undefined }], ['err', undefined]],
);
cases.push(['echoShapes', [shapes], ['ok', shapes]]);
cases.push(
  ['echoFixedStrings', [['', 'zwei ✌']], ['ok', ['', 'zwei ✌']]],
  ['echoFixedPoints', [[{ x: -2147483648, y: 0 }, { x: 1, y: 2147483647 }]], ['ok', [{ x: -2147483648, y: 0 }, { x: 1, y: 2147483647 }]]],
  ['echoMapLists', [new Map([[0, []], [4294967295, ['a', 'ü', '']], [7, ['x']]])], ['ok', new Map([[0, []], [4294967295, ['a', 'ü', '']], [7, ['x']]])]],
  ['echoMapLists', [new Map()], ['ok', new Map()]],
);
for (const j of [
  { tag: 'big', val: 18446744073709551615n }, { tag: 'big', val: 0n }, { tag: 'small', val: -1.5 },
  { tag: 'small', val: Math.fround(1e-45) }, { tag: 'wide', val: 5e-324 }, { tag: 'wide', val: -Infinity },
  // tiny(-128) is left out: the Canonical ABI carries it in the joined
  // i64 slot as the i32 pattern 0xffffff80 (what the guest sends), and
  // lift_flat_signed wraps it back to -128, but jco 1.35 clamps the
  // unwrapped number and throws "must be between -128 and 127".
  { tag: 'tiny', val: 127 }, { tag: 'tiny', val: 0 }, { tag: 'text', val: 'jöined' }, { tag: 'none' },
]) cases.push(['echoJoined', [j], ['ok', j]]);
const flatArgs = [18446744073709551615n, -1.5, 2.25, -128, 65535, '😀', true, -9223372036854775808n,
  4294967295, Math.fround(0.1), -0, -32768, 255, -2147483648, 1n, 5e-324];
cases.push(['flat16', flatArgs, ['ok', 18446744073709551615n]]);

const manyArgs = [1, 'two', 3n, 4.5, 5.25, -6, 'seven', 8, 9, 10, 11, 12, 13, 14, 15, 16, 4294967295];
cases.push(['many', manyArgs, ['ok', manyArgs.slice(0, 8)]]);
const manyEdge = [4294967295, '', 18446744073709551615n, -0, -5e-324, -128, 'ünï', 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
cases.push(['many', manyEdge, ['ok', manyEdge.slice(0, 8)]]);

// Large values: many allocations on both sides, so Go's GC runs while
// the bindings hold guest memory that the host reads or writes.
const bigBytes = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 31) & 255);
const manyStrings = Array.from({ length: 5000 }, (_, i) => `s${i}-${'ü'.repeat(i % 7)}`);
const manyPoints = Array.from({ length: 3000 }, (_, i) => ({ x: i - 1500, y: 7 - i }));
cases.push(
  ['echoBytes', [bigBytes], ['ok', bigBytes]],
  ['echoStrings', [manyStrings], ['ok', manyStrings]],
  ['echoPoints', [manyPoints], ['ok', manyPoints]],
  ['echoOuters', [Array.from({ length: 200 }, () => outers).flat()], ['ok', Array.from({ length: 200 }, () => outers).flat()]],
);

for (const [fn, args, want, sent = args] of cases) {
  const label = `forward.${fn}(${args.map(show).join(', ')})`.slice(0, 200);
  delete received[fn];
  const got = call(label, () => forward[fn](...args));
  if (got[0] === 'threw') continue;
  expectSame(`${label} returns`, got, want);
  expectSame(`${label} reaches the import as`, received[fn], sent);
}

// Repeated calls: results stay right while the guest's heap is reused.
{
  let bad = 0;
  for (let i = 0; i < 500 && bad < 3; i++) {
    const o = { ...outers[i % 2], id: BigInt(i), inner: inner(`n${i}`, [`t${i}`, ''], i % 3 ? i / 4 : undefined) };
    const got = call(`echoOuter loop ${i}`, () => forward.echoOuter(o));
    if (got[0] !== 'ok' || !same(got[1], o) || !same(received.echoOuter, [o])) {
      bad++;
      fail(`forward.echoOuter call ${i} of 500`, `got ${show(got)}`);
    }
  }
  if (bad === 0) ok('forward.echoOuter 500 times');
}

// Imported resources: the guest's calls and drops, in order.
const dispose = Symbol.dispose || Symbol.for('dispose');
const expect = (label, fn, want) => {
  const got = call(label, fn);
  if (got[0] !== 'threw') expectSame(label, got, want);
};
const log = (label, fn, want, wantLog) => {
  counterLog.length = 0;
  const got = call(label, fn);
  if (got[0] === 'threw') return;
  expectSame(`${label} returns`, got, ['ok', want]);
  expectSame(`${label} host calls`, [...counterLog], wantLog);
};
log('things.useCounter(3, 4)', () => things.useCounter(3, 4), 14,
  ['new(3)#1', '#1.add(4)', 'new(14)#2', 'merge(#1,#1)', '#2.get()', 'drop#1', 'drop#2']);
log('things.sumCounters(4)', () => things.sumCounters(4), 10,
  ['make(4)', 'new(1)#3', 'new(2)#4', 'new(3)#5', 'new(4)#6',
    '#3.get()', 'drop#3', '#4.get()', 'drop#4', '#5.get()', 'drop#5', '#6.get()', 'drop#6']);
log('things.sumCounters(0)', () => things.sumCounters(0), 0, ['make(0)']);
const { Counter } = await import('./host.mjs');
const given = new Counter(42);
log('things.takeCounter(own counter 42)', () => things.takeCounter(given), 42, ['#7.get()', 'drop#7']);

// A borrowed counter: the guest reads it and does not drop it.
const lent = new Counter(7);
log('things.peek(borrow counter 7)', () => things.peek(lent), 7, ['#8.get()']);
log('things.peek(borrow counter 7) again', () => things.peek(lent), 7, ['#8.get()']);
// A counter made by the guest through the import comes back to the host
// as the very object the host's constructor made.
counterLog.length = 0;
const fresh = call('things.freshCounter(9)', () => things.freshCounter(9));
if (fresh[0] === 'ok') {
  expectSame('things.freshCounter(9) is a host Counter', fresh[1] instanceof Counter, true);
  expectSame('things.freshCounter(9) value', fresh[1].value, 10);
  expectSame('things.freshCounter(9) host calls (no drop)', [...counterLog], ['new(9)#9', '#9.add(1)']);
}

// A counter the guest makes and passes, owned, to the host's import.
log('things.handOver(5)', () => things.handOver(5), 5, ['new(5)#10', 'keep#10']);

// Borrowed counters in a list go to the host and come back undropped;
// the guest drops them afterwards.
log('things.sumBorrowed(3)', () => things.sumBorrowed(3), 6n,
  ['new(1)#11', 'new(2)#12', 'new(3)#13', 'sum(#11,#12,#13)', 'drop#11', 'drop#12', 'drop#13']);
// A static import returning result<counter, string>, both ways.
log('things.tryCounter("12")', () => things.tryCounter('12'), 12, ['tryNew("12")', 'new(12)#14', '#14.get()', 'drop#14']);
counterLog.length = 0;
expect('things.tryCounter("x")', () => things.tryCounter('x'), ['err', 'not a number: x']);
expectSame('things.tryCounter("x") host calls', [...counterLog], ['tryNew("x")']);

// Exported resources: constructors, methods and statics on borrows,
// lists of owned handles, own parameters and destructors in the guest.
const { Tally } = things;
const t1 = new Tally(5);
const t2 = new Tally(10);
expect('t1.add(3)', () => t1.add(3), ['ok', 8]);
expect('t2.add(0)', () => t2.add(0), ['ok', 10]);
expect('Tally.total(t1, t2)', () => Tally.total(t1, t2), ['ok', 18]);
expect('Tally.total(t1, t1)', () => Tally.total(t1, t1), ['ok', 16]);
expect('things.maybeCount(borrow t2)', () => things.maybeCount(t2), ['ok', 10]);
expect('things.maybeCount(none)', () => things.maybeCount(undefined), ['ok', undefined]);
// A method that returns an own handle: a new Tally the host then owns.
const copied = call('t1.copy()', () => t1.copy());
if (copied[0] === 'ok') {
  expectSame('t1.copy() is a Tally', copied[1] instanceof Tally, true);
  expect('t1.copy().add(1)', () => copied[1].add(1), ['ok', 9]);
  expect('t1.add(0) after its copy changed', () => t1.add(0), ['ok', 8]);
  copied[1][dispose]();
}
expect('things.dropped() after dropping the copy', () => things.dropped(), ['ok', 1]);
const made = call('things.makeTallies(3)', () => things.makeTallies(3));
if (made[0] === 'ok') {
  expectSame('things.makeTallies(3) makes Tally objects', made[1].map((x) => x instanceof Tally), [true, true, true]);
  made[1].forEach((x, i) => expect(`made[${i}].add(0)`, () => x.add(0), ['ok', i]));
  // jco 1.35 declares the lifted handle of each list element with `var`,
  // so every element's Symbol.dispose closure drops the LAST element's
  // handle: only the last one may be disposed. The others are moved back
  // into the guest instead (consume: own parameter, no Drop).
  expect('things.consume(made[0])', () => things.consume(made[1][0]), ['ok', 0]);
  expect('things.consume(made[1])', () => things.consume(made[1][1]), ['ok', 1]);
  made[1][2][dispose]();
}
expect('things.dropped() after dropping made[2]', () => things.dropped(), ['ok', 2]);
expect('things.makeTallies(0)', () => things.makeTallies(0), ['ok', []]);
// An own parameter moves the Go value to the implementation: its Drop is
// not called, and the JS object no longer holds the handle.
expect('things.consume(t1)', () => things.consume(t1), ['ok', 8]);
expect('things.dropped() after consume', () => things.dropped(), ['ok', 2]);
try {
  t1.add(1);
  fail('t1.add after consume', 'jco accepted a handle that was moved');
} catch (e) {
  if (e instanceof TypeError) ok('t1.add after consume is refused');
  else fail('t1.add after consume', `threw ${e}, want a TypeError`);
}
t2[dispose]();
expect('things.dropped() after dropping t2', () => things.dropped(), ['ok', 3]);

expect('things.greet("wörld")', () => things.greet('wörld'), ['ok', 'hello, wörld']);
expect('things.greet("")', () => things.greet(''), ['err', 'empty']);
expect('things.greet("?")', () => things.greet('?'), ['err', 'a plain Go error']);

// Leaks: after a warm-up, a thousand more calls that allocate on both
// sides of the boundary (strings, lists, records, variants, resources)
// leave the guest's live heap where it was.
const churn = (n) => {
  for (let i = 0; i < n; i++) {
    forward.echoOuters(outers);
    forward.echoStrings(manyStrings.slice(0, 50));
    forward.echoShapes(shapes);
    forward.echoMap(new Map([['a', i], ['b', i + 1]]));
    forward.echoOkOnly({ tag: 'ok', val: `s${i}` });
    things.sumCounters(3);
    things.greet(`n${i}`);
    new Tally(i)[dispose]();
  }
};
const leak = call('heap check', () => {
  churn(500); // the first rounds grow the heap once (tables, caches)
  const before = things.heapBytes();
  churn(1000);
  return [before, things.heapBytes()];
});
if (leak[0] === 'ok') {
  const [before, after] = leak[1];
  console.log(`note guest heap after a GC: ${before} bytes, ${after} after 1000 more rounds of calls`);
  // Each round allocates tens of KiB; a leak of even 16 bytes per round shows.
  if (after - before < 16n * 1000n) ok(`guest heap ${before} -> ${after} bytes over 1000 rounds`);
  else fail('guest heap', `grew from ${before} to ${after} bytes over 1000 rounds of calls`);
}

// The world's own export and import, and an inline exported interface.
logged.length = 0;
expect('run(["a", "ü", ""])', () => run(['a', 'ü', '']), ['ok', 3]);
expectSame('run(["a", "ü", ""]) logged', logged, [['a', 0], ['ü', 1], ['', 2]]);
expect('run([])', () => run([]), ['err', 'no arguments']);
expect('inline.ping(-9223372036854775808n)', () => inline.ping(-9223372036854775808n), ['ok', 'pong -9223372036854775808']);

// The guest's stdout goes through witgo's preview1 adapter to
// wasi:cli/stdout; TestJcoRuntime finds this line in node's output.
expect('things.say(...)', () => things.say('héllo wörld 😀'), ['ok', undefined]);

// Speed of a call through jco and the bindings (for the log, not checked).
const perCall = (n, fn) => {
  const start = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return ((performance.now() - start) * 1000 / n).toFixed(1);
};
console.log(`note per call: echoU32 ${perCall(2000, (i) => forward.echoU32(i))} µs, ` +
  `echoString(12 chars) ${perCall(1000, () => forward.echoString('héllo, wörld'))} µs, ` +
  `echoOuter ${perCall(500, () => forward.echoOuter(outers[0]))} µs, ` +
  `useCounter ${perCall(500, () => things.useCounter(1, 2))} µs`);

const exported = ['forward', 'things', 'inline'].flatMap((name) => Object.keys(component[name]).map((k) => `${name}.${k}`));
const unused = [...exported, 'run'].filter((name) => !used.has(name));
if (unused.length === 0) ok(`all ${exported.length + 1} exports called`);
else fail('exports never called', unused.join(', '));

console.log(`done ${checks}`);
