// The documentation site, built and used as a reader would: `vitepress build`, then
// - every internal link of the built HTML points to an existing page and anchor;
// - the plugin catalogue lists every plugins/* package;
// - in a real browser (playwright-core driving Debian's chromium, no browser download), each
//   API page loads, a Run button per package executes its snippet on the WASM backend and
//   shows its output (and plots), the demo trains on MNIST 0-4, enrols 5-9 and classifies a
//   drawing, all without console errors. Screenshots go to docs/.screenshots/ (gitignored).
// Set EMB_DOCS_SKIP_BUILD=1 to reuse an existing docs/.vitepress/dist, EMB_CHROMIUM for another
// chromium binary.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkLinks } from '../scripts/check-links.mjs';
import { docsRoot, repoRoot } from '../scripts/exports.mjs';
import { serveStatic } from '../scripts/serve-static.mjs';

// A private output folder: `pnpm docs:build` (docs/.vitepress/dist) may run at the same time.
const dist = process.env.EMB_DOCS_SKIP_BUILD
  ? join(docsRoot, '.vitepress', 'dist')
  : mkdtempSync(join(tmpdir(), 'emb-docs-site-'));
const shots = join(docsRoot, '.screenshots');
const chromiumPath = process.env.EMB_CHROMIUM ?? '/usr/bin/chromium';
const timings = [];
const timed = async (label, fn) => {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    timings.push(`${label} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
};

let build = { status: 0, output: '' };
before(async () => {
  if (process.env.EMB_DOCS_SKIP_BUILD && existsSync(dist)) return;
  // The site bundles the BUILT packages; wait (bounded) for a concurrent `pnpm build` to finish.
  for (
    let i = 0;
    i < 60 &&
    !['core', 'distance', 'losses', 'miners', 'index', 'train', 'datasets'].every((p) =>
      existsSync(join(repoRoot, 'packages', p, 'dist/index.js')),
    );
    i++
  ) {
    await new Promise((r) => setTimeout(r, 2000));
  }
  await timed('build', () => {
    const prep = spawnSync(process.execPath, [join(docsRoot, 'scripts/prepare-site.mjs')], { cwd: docsRoot, encoding: 'utf8' });
    const vp = spawnSync(
      process.execPath,
      [join(docsRoot, 'node_modules/vitepress/bin/vitepress.js'), 'build', '.', '--outDir', dist],
      {
        cwd: docsRoot,
        encoding: 'utf8',
        env: { ...process.env, EMB_DOCS_BASE: '/' },
      },
    );
    build = { status: prep.status || vp.status, output: `${prep.stdout}${prep.stderr}${vp.stdout}${vp.stderr}` };
  });
});

after(() => {
  if (!process.env.EMB_DOCS_SKIP_BUILD) rmSync(dist, { recursive: true, force: true });
  if (timings.length) console.log(`# docs site timings: ${timings.join(', ')}`);
});

test('the docs site builds with vitepress (no dead page links)', () => {
  assert.equal(build.status, 0, `vitepress build failed:\n${build.output.slice(-4000)}`);
  assert.ok(existsSync(join(dist, 'index.html')));
});

test('every internal link of the built site points to an existing page and anchor', () => {
  assert.ok(existsSync(dist), 'no built site');
  const { problems, checked } = checkLinks(dist);
  assert.ok(checked > 500, `only ${checked} links checked`);
  assert.deepEqual(problems, [], `broken links:\n${problems.join('\n')}`);
});

test('the plugin catalogue lists every plugins/* package', () => {
  const html = readFileSync(join(dist, 'plugins.html'), 'utf8');
  const dir = join(repoRoot, 'plugins');
  const names = existsSync(dir)
    ? readdirSync(dir)
        .filter((d) => existsSync(join(dir, d, 'package.json')))
        .map((d) => JSON.parse(readFileSync(join(dir, d, 'package.json'), 'utf8')).name)
    : [];
  assert.deepEqual(
    names.filter((n) => !html.includes(n)),
    [],
  );
});

// One runnable snippet per package (cli and testkit only have Node-only snippets: their pages
// show the recorded output instead of a Run button).
const RUNS = [
  { page: 'getting-started', id: 'guide/five-minutes', plots: 2 },
  { page: 'api/core', id: 'core/init-backend' },
  { page: 'api/distance', id: 'distance/lp-distance' },
  { page: 'api/losses', id: 'losses/overview', plots: 2 },
  { page: 'api/miners', id: 'miners/triplet-margin-miner' },
  { page: 'api/index', id: 'index/knn-classifier', plots: 1 },
  { page: 'api/train', id: 'train/fit', plots: 2 },
  { page: 'api/datasets', id: 'datasets/class-disjoint-split' },
];
const NODE_ONLY = [
  { page: 'api/cli', id: 'cli/pca2d.node' },
  { page: 'api/testkit', id: 'testkit/closeness.node' },
];

describe('the built site in chromium', {
  skip: !existsSync(chromiumPath) && `no chromium at ${chromiumPath} (apt-get install chromium)`,
}, () => {
  let server;
  let context;
  let userDataDir;

  before(async () => {
    if (!existsSync(dist)) return;
    rmSync(shots, { recursive: true, force: true });
    mkdirSync(shots, { recursive: true });
    server = await serveStatic(dist);
    userDataDir = mkdtempSync(join(tmpdir(), 'emb-docs-chromium-'));
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
  });

  after(async () => {
    await context?.close();
    await server?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  async function open(path) {
    const page = await context.newPage();
    const pageErrors = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`console.error: ${msg.text()}`);
    });
    page.on('pageerror', (err) => pageErrors.push(`uncaught: ${err.message}`));
    page.on('requestfailed', (req) => pageErrors.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
    await page.goto(`${server.url}/${path}.html`, { waitUntil: 'load' });
    await page.waitForSelector('.VPContent', { timeout: 30_000 });
    return { page, pageErrors };
  }

  for (const run of RUNS) {
    test(`Run on ${run.id} (/${run.page}) prints its output${run.plots ? ' and draws its plots' : ''} without console errors`, async () => {
      const { page, pageErrors } = await open(run.page);
      const box = page.locator(`.run-snippet[data-snippet="${run.id}"]`).first();
      await box.scrollIntoViewIfNeeded();
      await box.locator('button.run').click();
      await page.waitForSelector(`.run-snippet[data-snippet="${run.id}"]:is([data-state="done"],[data-state="error"])`, {
        timeout: 120_000,
      });
      const state = await box.getAttribute('data-state');
      const output = (await box.locator('pre.output').textContent())?.trim() ?? '';
      const plots = await box.locator('svg.plot').count();
      await box.screenshot({ path: join(shots, `${run.id.replace('/', '-')}.png`) });
      await page.close();
      assert.equal(state, 'done', `${run.id} failed in the browser: ${output}`);
      assert.ok(output.length > 0, `${run.id} printed nothing`);
      assert.equal(plots, run.plots ?? 0, `${run.id}: ${plots} plots drawn`);
      assert.deepEqual(pageErrors, []);
    });
  }

  test('the API pages of Node-only packages show the recorded output and load without console errors', async () => {
    for (const run of NODE_ONLY) {
      const { page, pageErrors } = await open(run.page);
      const text = (await page.locator(`.run-snippet[data-snippet="${run.id}"] pre.output`).textContent())?.trim() ?? '';
      await page.screenshot({ path: join(shots, `${run.page.replace('/', '-')}.png`) });
      await page.close();
      assert.ok(text.length > 0, `${run.page}: no recorded output for ${run.id}`);
      assert.deepEqual(pageErrors, []);
    }
  });

  test('every API page loads without console errors and shows its headings', async () => {
    const apiPages = readdirSync(join(docsRoot, 'api')).filter((f) => f.endsWith('.md'));
    for (const f of apiPages) {
      const { page, pageErrors } = await open(`api/${f.replace(/\.md$/, '')}`);
      const headings = await page.locator('.vp-doc h3').count();
      await page.screenshot({ path: join(shots, `api-${f.replace(/\.md$/, '')}-top.png`) });
      await page.close();
      assert.ok(headings > 0, `api/${f}: no symbol headings`);
      assert.deepEqual(pageErrors, [], `api/${f}`);
    }
  });

  test('the loss equations render as math (MathJax) on the losses page', async () => {
    const { page, pageErrors } = await open('api/losses');
    const heading = page.locator('#tripletmarginloss');
    await heading.scrollIntoViewIfNeeded();
    await page.evaluate(() => document.querySelector('#tripletmarginloss')?.scrollIntoView());
    const math = await page.locator('mjx-container').count();
    await page.screenshot({ path: join(shots, 'api-losses-tripletmarginloss.png') });
    await page.close();
    assert.ok(math >= 13, `${math} equations rendered, expected one per loss`);
    assert.deepEqual(pageErrors, []);
  });

  test('the demo trains on MNIST 0-4 in the page, enrols 5-9 by example and classifies a drawing', async () => {
    const { page, pageErrors } = await open('demo');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="demo-status"]')?.textContent?.startsWith('Ready'),
      null,
      {
        timeout: 60_000,
      },
    );
    await page.fill('.mnist-demo input[type="number"]', '3');
    await timed('demo training', async () => {
      await page.click('[data-testid="demo-train"]');
      await page.waitForFunction(
        () => document.querySelector('[data-testid="demo-log"]')?.textContent?.includes('k-NN accuracy'),
        null,
        {
          timeout: 180_000,
        },
      );
    });
    await page.click('[data-testid="demo-enrol"]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="demo-log"]')?.textContent?.includes('unseen drawings of 5-9'),
      null,
      {
        timeout: 60_000,
      },
    );
    // Draw a "7": a bar and a diagonal.
    const board = await page.locator('[data-testid="demo-board"]').boundingBox();
    assert.ok(board);
    const at = (x, y) => [board.x + (x / 224) * board.width, board.y + (y / 224) * board.height];
    await page.mouse.move(...at(50, 50));
    await page.mouse.down();
    await page.mouse.move(...at(170, 50), { steps: 8 });
    await page.mouse.move(...at(100, 190), { steps: 8 });
    await page.mouse.up();
    await page.click('[data-testid="demo-classify"]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="demo-prediction"]')?.textContent?.startsWith('Prediction'),
      null,
      {
        timeout: 30_000,
      },
    );
    const log = (await page.locator('[data-testid="demo-log"]').textContent()) ?? '';
    const prediction = (await page.locator('[data-testid="demo-prediction"]').textContent()) ?? '';
    console.log(`# demo: ${log.replace(/\s+/g, ' ').trim()} | drawn 7 -> ${prediction}`);
    await page.locator('.mnist-demo').screenshot({ path: join(shots, 'demo.png') });
    await page.close();
    assert.match(log, /Trained \d+ steps/);
    assert.deepEqual(pageErrors, []);
  });
});
