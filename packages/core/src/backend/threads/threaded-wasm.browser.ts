/**
 * Browser side of `initBackend({ threads })`: nothing to do. In a browser tfjs-backend-wasm
 * starts its threaded build by itself when the page is cross-origin isolated (it then uses
 * `navigator.hardwareConcurrency`; `setThreadsCount` from tfjs-backend-wasm overrides it).
 *
 * @returns Always `false`: emb registered nothing.
 * @internal
 */
export async function registerThreadedWasm(_threads: number | 'auto'): Promise<boolean> {
  return false;
}
