import { describe, expect, it } from 'vitest';
import { createRng, EmbError } from '../index.js';

describe('createRng', () => {
  it('replays the same sequence from the same seed, numeric or string', () => {
    const a = createRng(42);
    const b = createRng(42);
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()));
    expect(createRng('run-1').int(1000)).toBe(createRng('run-1').int(1000));
    expect(createRng(1).next()).not.toBe(createRng(2).next());
  });

  it('resumes exactly from getState, whose words are unsigned 32-bit integers', () => {
    const rng = createRng(7);
    for (let i = 0; i < 1000; i++) {
      const state = rng.getState();
      expect(state.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)).toBe(true);
      const copy = createRng(0);
      copy.setState(state);
      expect(copy.next()).toBe(rng.next());
    }
  });

  it('draws integers without modulo bias and in range', () => {
    const rng = createRng(3);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[rng.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(400);
  });

  it('shuffles in place into a permutation, and forks independent streams', () => {
    const rng = createRng(5);
    const arr = Array.from({ length: 50 }, (_, i) => i);
    rng.shuffle(arr);
    expect([...arr].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const before = rng.getState();
    const f1 = rng.fork('sampler');
    expect(rng.getState()).toEqual(before);
    // The same label from the same state gives the same stream; another label another one.
    expect(f1.next()).toBe(rng.fork('sampler').next());
    expect(rng.fork('sampler').next()).not.toBe(rng.fork('miner').next());
  });

  it('quotes a bad seed or state', () => {
    expect(() => createRng(Number.NaN)).toThrow(EmbError);
    expect(() => createRng(1).setState([1, 2, 3] as never)).toThrow(/four unsigned 32-bit integers/);
    expect(() => createRng(1).int(0)).toThrow(/got 0/);
  });
});
