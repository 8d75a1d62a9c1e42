// Checks every internal link of the built site: the page exists and, for `#anchor` links, the
// target page has an element with that id. Returns a list of problems ("page: href").
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';

function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? htmlFiles(join(dir, e.name)) : e.name.endsWith('.html') ? [join(dir, e.name)] : [],
  );
}

export function checkLinks(distDir, base = '/') {
  const files = htmlFiles(distDir);
  const ids = new Map();
  const idsOf = (rel) => {
    if (!ids.has(rel)) {
      let html = '';
      try {
        html = readFileSync(join(distDir, rel), 'utf8');
      } catch {
        ids.set(rel, null);
        return null;
      }
      ids.set(rel, new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
    }
    return ids.get(rel);
  };
  const problems = [];
  let checked = 0;
  for (const file of files) {
    const rel = relative(distDir, file).split('\\').join('/');
    if (rel === '404.html') continue;
    const html = readFileSync(file, 'utf8');
    for (const m of html.matchAll(/<a\s[^>]*?href="([^"]*)"/g)) {
      const href = m[1].replace(/&amp;/g, '&');
      if (/^(https?:|mailto:|javascript:|data:)/.test(href) || href === '') continue;
      checked++;
      const [pathPart, hash] = href.split('#');
      let target;
      if (pathPart === '') target = rel;
      else {
        const abs = pathPart.startsWith('/') ? pathPart : posix.join(posix.dirname(`/${rel}`), pathPart);
        if (!abs.startsWith(base)) {
          problems.push(`${rel}: ${href} (outside the site base ${base})`);
          continue;
        }
        target = abs.slice(base.length);
        if (target === '' || target.endsWith('/')) target += 'index.html';
        else if (!posix.extname(target)) target += '.html';
      }
      if (!/\.html$/.test(target)) continue; // assets
      const targetIds = idsOf(target);
      if (targetIds === null) problems.push(`${rel}: ${href} (no page ${target})`);
      else if (hash && !targetIds.has(decodeURIComponent(hash)))
        problems.push(`${rel}: ${href} (no anchor #${hash} on ${target})`);
    }
  }
  return { problems, checked, pages: files.length };
}
