import { runLossGolden } from '../test/golden-runner.js';
import { tripletMarginLoss } from './index.js';

runLossGolden('TripletMarginLoss', (p, extra) =>
  tripletMarginLoss({
    ...(p.margin !== undefined && { margin: p.margin as number }),
    ...(p.swap !== undefined && { swap: p.swap as boolean }),
    ...(p.smooth_loss !== undefined && { smoothLoss: p.smooth_loss as boolean }),
    ...extra,
  }),
);
