// The host side of test:rt/types and test:rt/res under jco. Every
// function records the arguments the Go guest passed (as jco lifted them),
// so run.mjs can check what crossed the boundary into the host.
export const received = {};
export const counterLog = [];

const record = (name, args) => {
  received[name] = args;
};
const echo = (name) => (x) => {
  record(name, [x]);
  return x;
};

export const echoBool = echo('echoBool');
export const echoU8 = echo('echoU8');
export const echoS8 = echo('echoS8');
export const echoU16 = echo('echoU16');
export const echoS16 = echo('echoS16');
export const echoU32 = echo('echoU32');
export const echoS32 = echo('echoS32');
export const echoU64 = echo('echoU64');
export const echoS64 = echo('echoS64');
export const echoF32 = echo('echoF32');
export const echoF64 = echo('echoF64');
export const echoChar = echo('echoChar');
export const echoString = echo('echoString');
export const echoBytes = echo('echoBytes');
export const echoFloats = echo('echoFloats');
export const echoStrings = echo('echoStrings');
export const echoPoints = echo('echoPoints');
export const echoOuter = echo('echoOuter');
export const echoShape = echo('echoShape');
export const echoOption = echo('echoOption');
export const echoFixed = echo('echoFixed');
export const echoMap = echo('echoMap');
export const echoTuple = echo('echoTuple');

export const echoU64s = echo('echoU64s');
export const echoS8s = echo('echoS8s');
export const echoBools = echo('echoBools');
export const echoChars = echo('echoChars');
export const echoNestedLists = echo('echoNestedLists');
export const echoShapes = echo('echoShapes');
export const echoOptions = echo('echoOptions');
export const echoOuters = echo('echoOuters');
export const echoJoined = echo('echoJoined');
export const echoFixedStrings = echo('echoFixedStrings');
export const echoFixedPoints = echo('echoFixedPoints');
export const echoMapLists = echo('echoMapLists');

// A result<T, E> return is T, or a thrown error whose payload is E.
const echoResultOf = (name) => (x) => {
  record(name, [x]);
  if (x.tag === 'err') throw { payload: x.val };
  return x.val;
};
export const echoResult = echoResultOf('echoResult');
export const echoBareResult = echoResultOf('echoBareResult');
export const echoOkOnly = echoResultOf('echoOkOnly');

export function flat16(...args) {
  record('flat16', args);
  return args[0];
}

export function echoFlags(a, b, c) {
  record('echoFlags', [a, b, c]);
  return [a, b, c];
}

export function many(...args) {
  record('many', args);
  return args.slice(0, 8);
}

export function checked(x) {
  record('checked', [x]);
  if (x % 2 !== 0) throw { payload: 'odd' };
  return x;
}

export function unit(x) {
  record('unit', [x]);
  if (x % 2 !== 0) throw { payload: x };
}

// Counter is the imported resource; counterLog records every operation
// the guest asks for, with each counter's serial number, and the drops
// (jco calls Symbol.dispose when the guest drops its own handle).
const dispose = Symbol.dispose || Symbol.for('dispose');
let serial = 0;
export class Counter {
  constructor(start) {
    this.id = ++serial;
    this.value = start;
    counterLog.push(`new(${start})#${this.id}`);
  }
  add(n) {
    counterLog.push(`#${this.id}.add(${n})`);
    this.value += n;
    return this.value;
  }
  get() {
    counterLog.push(`#${this.id}.get()`);
    return this.value;
  }
  static merge(a, b) {
    if (!(a instanceof Counter) || !(b instanceof Counter)) throw new Error('merge: not counters');
    const m = new Counter(a.value + b.value);
    counterLog.push(`merge(#${a.id},#${b.id})`);
    return m;
  }
  [dispose]() {
    counterLog.push(`drop#${this.id}`);
  }

  // A result<counter, string> return: the counter, or a thrown payload.
  static tryNew(s) {
    counterLog.push(`tryNew(${JSON.stringify(s)})`);
    if (!/^[0-9]+$/.test(s)) throw { payload: `not a number: ${s}` };
    return new Counter(Number(s));
  }
}

export function sum(cs) {
  if (!cs.every((c) => c instanceof Counter)) throw new Error('sum: not counters');
  counterLog.push(`sum(${cs.map((c) => `#${c.id}`).join(',')})`);
  return BigInt(cs.reduce((n, c) => n + c.value, 0));
}

export function makeCounters(n) {
  counterLog.push(`make(${n})`);
  const out = [];
  for (let i = 1; i <= n; i++) out.push(new Counter(i));
  return out;
}

export const kept = [];
export function keep(c) {
  if (!(c instanceof Counter)) throw new Error('keep: not a Counter');
  counterLog.push(`keep#${c.id}`);
  kept.push(c);
  return c.value;
}

// The world's own import: jco imports it as the default export of the
// module named "log", mapped to log.mjs (jco 1.35 panics when a function
// and interfaces are mapped to the same file).
export const logged = [];
export function log(msg, level) {
  logged.push([msg, level]);
}
