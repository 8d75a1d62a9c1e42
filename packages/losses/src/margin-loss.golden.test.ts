import { runLossGolden } from '../test/golden-runner.js';
import { marginLoss } from './index.js';

runLossGolden('MarginLoss', (p, extra) =>
  marginLoss({
    ...(p.margin !== undefined && { margin: p.margin as number }),
    ...(p.nu !== undefined && { nu: p.nu as number }),
    ...(p.beta !== undefined && { beta: p.beta as number }),
    ...(p.learn_beta !== undefined && { learnBeta: p.learn_beta as boolean }),
    ...(p.num_classes !== undefined && { numClasses: p.num_classes as number | null }),
    ...extra,
  }),
);
