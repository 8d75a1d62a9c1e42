import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitepress';

const docs = fileURLToPath(new URL('..', import.meta.url));
const apiPages = readdirSync(`${docs}/api`)
  .filter((f) => f.endsWith('.md'))
  .map((f) => f.replace(/\.md$/, ''))
  .sort()
  .map((page) => ({ page, title: /^# (.+)$/m.exec(readFileSync(`${docs}/api/${page}.md`, 'utf8'))?.[1] ?? page }));
// Every docs/benchmarks/*.md (written by `pnpm bench <name>` runs), so a new benchmark gets a sidebar entry.
const benchmarkPages = readdirSync(`${docs}/benchmarks`)
  .filter((f) => f.endsWith('.md'))
  .map((f) => f.replace(/\.md$/, ''))
  .sort();
// What each entry point does with bad input: docs/bad-input.md with the tables that
// packages/*/src/bad-input.matrix.test.ts renders into docs/bad-input/.
const hasBadInputPage = existsSync(`${docs}/bad-input.md`);

// Tags that may appear as raw HTML in the markdown; anything else that looks like a tag
// (`<name>` in prose, e.g. in generated tables) is shown as text instead of breaking the Vue
// template the page compiles to.
const HTML_TAGS = new Set(
  'a abbr b blockquote br button canvas caption cite code dd del details div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i iframe img input ins kbd label li mark ol option p path pre q s samp script section select small span strong style sub summary sup svg table tbody td template th thead time tr u ul var video'.split(
    ' ',
  ),
);
function isAllowedTag(html: string): boolean {
  const m = /^<\/?([A-Za-z][\w-]*)/.exec(html.trim());
  if (!m) return true; // comments, doctype
  const tag = m[1] as string;
  return HTML_TAGS.has(tag.toLowerCase()) || /^[A-Z]/.test(tag);
}

export default defineConfig({
  title: 'emb',
  description: 'Embedding learning for TypeScript: pytorch-metric-learning for TensorFlow.js on WASM.',
  // The site is served from a sub-path when EMB_DOCS_BASE is set (e.g. a project page).
  base: process.env.EMB_DOCS_BASE ?? '/',
  cleanUrls: false,
  lastUpdated: false,
  // docs/benchmarks/index.md is the k-NN index benchmark, not a folder index: give it its own URL.
  rewrites: { 'benchmarks/index.md': 'benchmarks/knn-index.md' },
  srcExclude: ['**/README.md', 'snippets/**', 'scripts/**', 'test/**', 'node_modules/**'],
  markdown: {
    math: true,
    config(md) {
      md.core.ruler.push('emb-escape-unknown-tags', (state) => {
        for (const token of state.tokens) {
          if (token.type === 'html_block' && !isAllowedTag(token.content)) {
            token.type = 'paragraph_text';
          }
          for (const child of token.children ?? []) {
            if (child.type === 'html_inline' && !isAllowedTag(child.content)) child.type = 'text';
          }
        }
      });
      md.renderer.rules.paragraph_text = (tokens, idx) => `<p>${md.utils.escapeHtml(tokens[idx]?.content ?? '')}</p>`;
    },
  },
  themeConfig: {
    nav: [
      { text: 'Getting started', link: '/getting-started' },
      { text: 'Concepts', link: '/concepts' },
      { text: 'API', link: '/api/core' },
      { text: 'Demo', link: '/demo' },
      { text: 'Benchmarks', link: '/benchmarks' },
      { text: 'Plugins', link: '/plugins' },
    ],
    sidebar: [
      {
        text: 'Introduction',
        items: [
          { text: 'Getting started', link: '/getting-started' },
          { text: 'Concepts', link: '/concepts' },
          { text: 'In-browser demo', link: '/demo' },
        ],
      },
      { text: 'API', items: apiPages.map((p) => ({ text: p.title, link: `/api/${p.page}` })) },
      {
        text: 'Guides',
        items: [
          { text: 'Migrating from pytorch-metric-learning', link: '/guides/migrating-from-pml' },
          { text: 'Writing a plugin', link: '/guides/writing-a-plugin' },
          { text: 'Plugin catalogue', link: '/plugins' },
        ],
      },
      {
        text: 'Reference',
        items: [
          { text: 'Benchmarks', link: '/benchmarks' },
          ...benchmarkPages.map((p) => ({ text: `Benchmark: ${p}`, link: `/benchmarks/${p === 'index' ? 'knn-index' : p}` })),
          { text: 'Numerics on tfjs WASM', link: '/numerics' },
          { text: 'Index file format', link: '/index-file-format' },
        ],
      },
      ...(hasBadInputPage ? [{ text: 'Errors', items: [{ text: 'What emb does with bad input', link: '/bad-input' }] }] : []),
    ],
    outline: { level: [2, 3] },
    search: { provider: 'local' },
  },
  vite: {
    // tfjs-backend-wasm's emscripten glue references Node modules it only uses under Node.
    define: { 'process.env.NODE_DEBUG': 'false' },
    build: { chunkSizeWarningLimit: 4000, target: 'es2022' },
    optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'], esbuildOptions: { target: 'es2022' } },
    server: { fs: { allow: ['..'] } },
  },
});
