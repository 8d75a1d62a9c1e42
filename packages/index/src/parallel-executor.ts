/**
 * A hook through which the Node entry (`enableWorkerThreads` in `@emb/index/node`) lends
 * worker threads to the symmetric self k-NN of the accuracy calculator, without the main
 * (browser-safe) entry ever importing `node:worker_threads`.
 * @internal
 */
export type SelfKnnExecutor = (data: Float32Array, n: number, dim: number, k: number) => Promise<Int32Array>;

let executor: SelfKnnExecutor | undefined;

/** @internal */
export function setSelfKnnExecutor(next: SelfKnnExecutor | undefined): void {
  executor = next;
}

/** @internal */
export function getSelfKnnExecutor(): SelfKnnExecutor | undefined {
  return executor;
}
