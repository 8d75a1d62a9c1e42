import { runLossGolden } from '../test/golden-runner.js';
import { circleLoss } from './index.js';

runLossGolden('CircleLoss', (p, extra) =>
  circleLoss({
    ...(p.m !== undefined && { m: p.m as number }),
    ...(p.gamma !== undefined && { gamma: p.gamma as number }),
    ...extra,
  }),
);
