import { runLossGolden } from '../test/golden-runner.js';
import { contrastiveLoss } from './index.js';

runLossGolden('ContrastiveLoss', (p, extra) =>
  contrastiveLoss({
    ...(p.pos_margin !== undefined && { posMargin: p.pos_margin as number }),
    ...(p.neg_margin !== undefined && { negMargin: p.neg_margin as number }),
    ...extra,
  }),
);
