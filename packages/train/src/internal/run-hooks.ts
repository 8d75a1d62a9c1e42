import type { Callback } from '../callback.js';

type HookName = 'onTrainBegin' | 'onEpochBegin' | 'onBatchBegin' | 'onBatchEnd' | 'onEpochEnd' | 'onTrainEnd';

/** Calls one hook on every callback, in order, awaiting each (only when it returns a promise). @internal */
export async function runHooks(callbacks: readonly Callback[], hook: HookName, ...args: unknown[]): Promise<void> {
  for (const cb of callbacks) {
    const fn = cb[hook] as ((...a: unknown[]) => void | Promise<void>) | undefined;
    if (fn === undefined) continue;
    const out = fn.apply(cb, args);
    if (out !== undefined && typeof (out as Promise<void>).then === 'function') await out;
  }
}
