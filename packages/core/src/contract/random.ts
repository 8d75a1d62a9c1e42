/** Serializable state of a {@link Rng}: restore it with `rng.setState(state)`. */
export type RngState = readonly [number, number, number, number];

/**
 * A seeded pseudo-random generator. Every random choice in emb takes one, so a run can be
 * replayed from its seed (and resumed from `getState()`).
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Shuffles `array` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T;
  /** A new generator derived from this one's state and `label`, leaving this one unchanged. */
  fork(label: string): Rng;
  getState(): RngState;
  setState(state: RngState): void;
}
