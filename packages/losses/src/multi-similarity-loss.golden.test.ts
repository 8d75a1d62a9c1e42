import { runLossGolden } from '../test/golden-runner.js';
import { multiSimilarityLoss } from './index.js';

runLossGolden('MultiSimilarityLoss', (p, extra) =>
  multiSimilarityLoss({
    ...(p.alpha !== undefined && { alpha: p.alpha as number }),
    ...(p.beta !== undefined && { beta: p.beta as number }),
    ...(p.base !== undefined && { base: p.base as number }),
    ...extra,
  }),
);
