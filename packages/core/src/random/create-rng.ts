import type { Rng, RngState } from '../contract/random.js';
import { EmbError, quote } from '../errors.js';

/** splitmix32: spreads a 32-bit seed over the generator state. */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * A seeded generator (sfc32, a small fast counter generator with a 128-bit state).
 * The same seed gives the same sequence on every platform; `getState()` / `setState()`
 * let a checkpoint resume it exactly.
 *
 * @param seed Any integer (or a string, hashed).
 * @example
 * const rng = createRng(42);
 * rng.int(10); // the same number on every run
 */
export function createRng(seed: number | string): Rng {
  if (typeof seed === 'number' && !Number.isFinite(seed)) {
    throw new EmbError('INVALID_ARGUMENT', `createRng: seed must be a finite number or a string, got ${quote(seed)}.`, { seed });
  }
  const mix = splitmix32(typeof seed === 'string' ? hashString(seed) : Math.trunc(seed) >>> 0);
  return rngFromState([mix(), mix(), mix(), mix() | 1]);
}

function rngFromState(initial: RngState): Rng {
  let [a, b, c, d] = initial;
  let spare: number | undefined;
  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = (b ^ (b >>> 9)) >>> 0;
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  const rng: Rng = {
    next: () => nextUint32() / 4294967296,
    int(n) {
      if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
        throw new EmbError('INVALID_ARGUMENT', `rng.int(n) needs a positive integer n, got ${quote(n)}.`, { n });
      }
      // Rejection sampling removes modulo bias.
      const limit = 4294967296 - (4294967296 % n);
      let x = nextUint32();
      while (x >= limit) x = nextUint32();
      return x % n;
    },
    normal() {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u = 0;
      while (u === 0) u = rng.next();
      const v = rng.next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    shuffle(array) {
      for (let i = array.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const tmp = array[i];
        array[i] = array[j];
        array[j] = tmp;
      }
      return array;
    },
    fork(label) {
      const mix = splitmix32((a ^ Math.imul(b, 31) ^ c ^ hashString(label)) >>> 0);
      return rngFromState([mix() ^ d, mix(), mix(), mix() | 1]);
    },
    getState: () => [a >>> 0, b >>> 0, c >>> 0, d >>> 0] as const,
    setState(state) {
      if (!Array.isArray(state) || state.length !== 4 || !state.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff)) {
        throw new EmbError('INVALID_ARGUMENT', `rng.setState expects four unsigned 32-bit integers, got ${quote(state)}.`, {
          state,
        });
      }
      [a, b, c, d] = state as unknown as [number, number, number, number];
      spare = undefined;
    },
  };
  return rng;
}
