import { runLossGolden } from '../test/golden-runner.js';
import { liftedStructureLoss } from './index.js';

runLossGolden('LiftedStructureLoss', (p, extra) =>
  liftedStructureLoss({
    ...(p.neg_margin !== undefined && { negMargin: p.neg_margin as number }),
    ...(p.pos_margin !== undefined && { posMargin: p.pos_margin as number }),
    ...extra,
  }),
);
