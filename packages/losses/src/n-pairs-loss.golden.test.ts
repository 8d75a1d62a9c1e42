import { runLossGolden } from '../test/golden-runner.js';
import { nPairsLoss } from './index.js';

runLossGolden('NPairsLoss', (_p, extra) => nPairsLoss({ ...extra }));
