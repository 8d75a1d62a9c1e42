import { runLossGolden } from '../test/golden-runner.js';
import { ntxentLoss } from './index.js';

runLossGolden('NTXentLoss', (p, extra) =>
  ntxentLoss({
    ...(p.temperature !== undefined && { temperature: p.temperature as number }),
    ...extra,
  }),
);
