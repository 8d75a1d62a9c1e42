import { runLossGolden } from '../test/golden-runner.js';
import { fastAPLoss } from './index.js';

runLossGolden('FastAPLoss', (p, extra) =>
  fastAPLoss({
    ...(p.num_bins !== undefined && { numBins: p.num_bins as number }),
    ...extra,
  }),
);
