// The plugin catalogue, read at build time from plugins/*/package.json: a new plugin package
// appears on /plugins without editing the docs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface PluginInfo {
  name: string;
  dir: string;
  version: string;
  description: string;
  kinds: string[];
  keywords: string[];
  peers: string[];
  private: boolean;
}

const root = fileURLToPath(new URL('../../../plugins/', import.meta.url));
const KINDS = ['loss', 'miner', 'sampler', 'distance', 'reducer', 'index', 'vector-index', 'ann', 'dataset'];

declare const data: PluginInfo[];

export { data };

export default {
  watch: ['../../../plugins/*/package.json'],
  load(): PluginInfo[] {
    if (!existsSync(root)) return [];
    return readdirSync(root)
      .filter((dir) => existsSync(`${root}${dir}/package.json`))
      .sort()
      .map((dir) => {
        const pkg = JSON.parse(readFileSync(`${root}${dir}/package.json`, 'utf8'));
        const keywords: string[] = pkg.keywords ?? [];
        return {
          name: pkg.name,
          dir,
          version: pkg.version ?? '0.0.0',
          description: pkg.description ?? '',
          kinds: keywords
            .filter((k) => KINDS.includes(k))
            .map((k) => (k === 'vector-index' || k === 'ann' ? 'index' : k))
            .filter((k, i, a) => a.indexOf(k) === i),
          keywords,
          peers: Object.keys(pkg.peerDependencies ?? {}),
          private: pkg.private === true,
        };
      });
  },
};
