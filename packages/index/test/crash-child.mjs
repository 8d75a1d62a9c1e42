// Saves two different large indexes to the same path over and over, announcing each save on
// stdout, so that the parent test can SIGKILL it in the middle of one. Imports the BUILT
// package (run `pnpm build` first).
import { exactIndex } from '../dist/index.js';
import { saveIndex } from '../dist/node.js';

const [path, countArg, dimArg] = process.argv.slice(2);
const count = Number(countArg);
const dim = Number(dimArg);

async function version(value) {
  const index = exactIndex({ dim });
  // Every value of version v is v, so a loaded file tells which version it is, and a mix of
  // two versions would show.
  await index.add(new Float32Array(count * dim).fill(value), { labels: new Int32Array(count).fill(value) });
  return index;
}

const versions = [await version(1), await version(2)];
await saveIndex(versions[0], path);
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  process.stdout.write(`saving ${i}\n`);
  await saveIndex(versions[i % 2], path);
}
