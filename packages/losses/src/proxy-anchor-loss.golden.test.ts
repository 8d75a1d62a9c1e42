import { runLossGolden } from '../test/golden-runner.js';
import { proxyAnchorLoss } from './index.js';

runLossGolden('ProxyAnchorLoss', (p, extra) =>
  proxyAnchorLoss({
    numClasses: p.num_classes as number,
    embeddingSize: p.embedding_size as number,
    ...(p.margin !== undefined && { margin: p.margin as number }),
    ...(p.alpha !== undefined && { alpha: p.alpha as number }),
    ...extra,
  }),
);
