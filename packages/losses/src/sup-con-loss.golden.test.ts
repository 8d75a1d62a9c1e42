import { runLossGolden } from '../test/golden-runner.js';
import { supConLoss } from './index.js';

runLossGolden('SupConLoss', (p, extra) =>
  supConLoss({
    ...(p.temperature !== undefined && { temperature: p.temperature as number }),
    ...extra,
  }),
);
