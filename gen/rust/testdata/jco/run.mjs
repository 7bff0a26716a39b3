// Calls the Rust guest's exports (transpiled by jco into ./out) and
// prints "ok LABEL" or "FAIL LABEL: why" per check and "done N" at the end.
import { api, run } from './out/rrt.js';
import { logged } from './host.mjs';

let checks = 0;
const ok = (label) => { checks++; console.log(`ok ${label}`); };
const fail = (label, why) => { checks++; console.log(`FAIL ${label}: ${why}`); };
const show = (v) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : ArrayBuffer.isView(x) ? Array.from(x) : x));
function same(a, b) {
  if (typeof a !== typeof b) return false;
  if (typeof a === 'number') return Object.is(a, b);
  if (a === null || typeof a !== 'object') return a === b;
  if (a instanceof Map) return b instanceof Map && same([...a.entries()], [...b.entries()]);
  if (ArrayBuffer.isView(a) !== ArrayBuffer.isView(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => same(a[k], b[k]));
}
const echo = (name, x) => {
  try {
    const got = api[name](x);
    if (same(got, x)) ok(`${name}(${show(x)})`);
    else fail(`${name}(${show(x)})`, `got ${show(got)}`);
  } catch (e) {
    fail(`${name}(${show(x)})`, String(e));
  }
};

echo('echoU8', 255); echo('echoS8', -128); echo('echoU16', 65535); echo('echoS16', -32768);
echo('echoU32', 4294967295); echo('echoS32', -2147483648);
echo('echoU64', 18446744073709551615n); echo('echoS64', -9223372036854775808n);
echo('echoF32', -0); echo('echoF32', 3.4028234663852886e38); echo('echoF64', 5e-324); echo('echoF64', NaN);
echo('echoBool', true); echo('echoChar', '😀'); echo('echoChar', 'ß');
echo('echoString', ''); echo('echoString', 'héllo ☃ 😀');
echo('echoBytes', new Uint8Array([0, 1, 255])); echo('echoStrings', ['a', '', 'ü😀']);
echo('echoSpot', { x: -5, y: 6 });
echo('echoItems', [{ name: 'n', tags: ['t1', ''], score: 0.5, at: { x: -1, y: 2 }, c: 'blue', p: { read: true, write: false, exec: true } }]);
echo('echoShape', { tag: 'rect', val: [1, -2] }); echo('echoShape', { tag: 'named', val: 'x☃' });
echo('echoShape', { tag: 'nested', val: { tag: 'ok', val: 7 } }); echo('echoShape', { tag: 'empty' });
echo('echoJoined', { tag: 'big', val: 18446744073709551615n }); echo('echoJoined', { tag: 'wide', val: -2.5 });
echo('echoJoined', { tag: 'tiny', val: -1 }); echo('echoJoined', { tag: 'text', val: 'j' });
echo('echoOption', { tag: 'some', val: 'deep' });
echo('echoTuple', [255, 'two', 3.5, 'ß']); echo('echoFixed', [1, 2, 65535]);
echo('echoMap', new Map([['a', 1], ['ü', 4294967295]]));
try {
  const got = api.echoResult({ tag: 'ok', val: new Uint32Array([1, 2, 4294967295]) });
  if (same(got, new Uint32Array([1, 2, 4294967295]))) ok('echoResult(ok)'); else fail('echoResult(ok)', show(got));
} catch (e) {
  fail('echoResult(ok)', String(e));
}
try {
  api.echoResult({ tag: 'err', val: 'green' });
  fail('echoResult(err(green))', 'did not throw');
} catch (e) {
  if (e.payload === 'green') ok('echoResult(err(green))'); else fail('echoResult(err(green))', String(e));
}
const m = api.many(1, 'two', 3n, 4.5, 6.25, -7, '', 8, 9, 10, 11, 12, 13, 14, 15, 16, new Uint8Array([17, 255]));
if (same(m, [1, 'two', 3n, 4.5, 6.25, -7, '', new Uint8Array([17, 255])])) ok('many'); else fail('many', show(m));

const num = (label, got, want) => (got === want ? ok(label) : fail(label, `got ${show(got)}, want ${show(want)}`));
num('useCounter(3, 4)', api.useCounter(3, 4), 14);
num('sumCounters(4)', api.sumCounters(4), 10n);
num('handOver(9)', api.handOver(9), 9);
num('run(["a", "b"])', run(['a', 'b']), 2);
num('logged', logged.join(','), 'a,b');

const t1 = new api.Tally(5);
const t2 = new api.Tally(10);
num('tally.add', t1.add(3), 8);
num('Tally.total', api.Tally.total(t1, t2), 18);
const cp = t1.copy();
num('copy.add', cp.add(1), 9);
num('maybeCount(t2)', api.maybeCount(t2), 10);
num('consume(t1)', api.consume(t1), 8);
num('makeTallies(3)[2].add(0)', api.makeTallies(3)[2].add(0), 2);

console.log(`done ${checks}`);
