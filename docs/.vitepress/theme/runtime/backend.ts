// Starts emb's WASM backend once per page, with the .wasm files the site serves from /wasm/
// (copied there by docs/scripts/prepare-site.mjs). Imported lazily so the server-side render
// of the pages never loads TensorFlow.js.
import type { BackendInfo } from '@emb/core';
import { withBase } from 'vitepress';

let started: Promise<BackendInfo> | undefined;

export function ensureBackend(): Promise<BackendInfo> {
  started ??= import('@emb/core').then(({ initBackend }) =>
    initBackend({ wasmPaths: new URL(withBase('/wasm/'), window.location.href).href }),
  );
  return started;
}

// One snippet at a time: output is captured by swapping console.log while it runs.
let queue: Promise<unknown> = Promise.resolve();
export function exclusive<T>(task: () => Promise<T>): Promise<T> {
  const next = queue.then(task, task);
  queue = next.catch(() => undefined);
  return next;
}
