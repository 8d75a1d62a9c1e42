import { runLossGolden } from '../test/golden-runner.js';
import { generalizedLiftedStructureLoss } from './index.js';

runLossGolden('GeneralizedLiftedStructureLoss', (p, extra) =>
  generalizedLiftedStructureLoss({
    ...(p.neg_margin !== undefined && { negMargin: p.neg_margin as number }),
    ...(p.pos_margin !== undefined && { posMargin: p.pos_margin as number }),
    ...extra,
  }),
);
