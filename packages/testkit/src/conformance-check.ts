import { initBackend } from '@emb/core';
import { beforeAll, describe, it } from 'vitest';

/** A TensorFlow.js backend the suites run on. */
export type ConformanceBackend = 'wasm' | 'cpu';

/**
 * One conformance check: a named function that throws a {@link ConformanceError} (or any
 * error) whose message says what is wrong. `skip` holds the reason when it does not apply.
 */
export interface ConformanceCheck {
  readonly name: string;
  readonly skip?: string | undefined;
  run(): void | Promise<void>;
}

/** A failed check, as returned by the `check*` functions (`checkMiner`, `checkIndex`, ...). */
export interface Finding {
  readonly check: string;
  readonly backend: ConformanceBackend;
  readonly message: string;
}

/** What a check throws: the message says what is wrong and, where it can, how to fix it. */
export class ConformanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceError';
  }
}

/** Throws a {@link ConformanceError}. */
export function fail(message: string): never {
  throw new ConformanceError(message);
}

/** Throws a {@link ConformanceError} with `message` unless `condition` holds. */
export function check(condition: boolean, message: string | (() => string)): asserts condition {
  if (!condition) fail(typeof message === 'function' ? message() : message);
}

/** Options shared by every suite. */
export interface SuiteOptions {
  /** Backends to run on. Default `['wasm', 'cpu']` (the cpu backend must be installed). */
  readonly backends?: readonly ConformanceBackend[];
}

/** Starts `backend` (emb's `initBackend`, quiet). */
export async function useBackend(backend: ConformanceBackend): Promise<void> {
  await initBackend({ backend, quiet: true });
}

/**
 * Runs checks on each backend and collects what failed (an empty array: the component
 * conforms). `makeChecks` is called once per backend, after the backend has started.
 */
export async function runChecks(
  makeChecks: () => readonly ConformanceCheck[],
  backends: readonly ConformanceBackend[] = ['wasm', 'cpu'],
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const backend of backends) {
    await useBackend(backend);
    for (const c of makeChecks()) {
      if (c.skip) continue;
      try {
        await c.run();
      } catch (error) {
        findings.push({ check: c.name, backend, message: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  return findings;
}

/** Registers one vitest `describe` per backend with one `it` per check (skipped checks say why). */
export function describeChecks(
  title: (backend: ConformanceBackend) => string,
  makeChecks: () => readonly ConformanceCheck[],
  backends: readonly ConformanceBackend[] = ['wasm', 'cpu'],
): void {
  for (const backend of backends) {
    describe(title(backend), () => {
      beforeAll(() => useBackend(backend));
      for (const c of makeChecks()) {
        if (c.skip) it.skip(`${c.name} (skipped: ${c.skip})`, () => {});
        else it(c.name, () => c.run());
      }
    });
  }
}
