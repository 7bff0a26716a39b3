// The host side of test:rrt/host (and the world's log) under jco: echo
// functions return their argument; counters are a JS class.
export const logged = [];
export const counterDrops = [];

const echo = (x) => x;
export const echoU8 = echo, echoS8 = echo, echoU16 = echo, echoS16 = echo, echoU32 = echo, echoS32 = echo;
export const echoU64 = echo, echoS64 = echo, echoF32 = echo, echoF64 = echo, echoBool = echo, echoChar = echo;
export const echoString = echo, echoBytes = echo, echoStrings = echo, echoSpot = echo, echoItems = echo;
export const echoShape = echo, echoJoined = echo, echoOption = echo, echoTuple = echo, echoFixed = echo, echoMap = echo;

// A result<T, E> return is T, or a thrown error whose payload is E.
const result = (x) => {
  if (x.tag === 'err') throw { payload: x.val };
  return x.val;
};
export const echoResult = result;
export const echoUnit = result;
export const echoFlags = (a, b) => [a, b];
export const many = (...a) => [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[16]];

export class Counter {
  constructor(start) { this.value = start; }
  add(n) { this.value += n; return this.value; }
  get() { return this.value; }
  static merge(a, b) { return new Counter(a.value + b.value); }
}
export const sum = (cs) => BigInt(cs.reduce((s, c) => s + c.value, 0));
export const keep = (c) => c.value;

export const log = (msg) => { logged.push(msg); };
