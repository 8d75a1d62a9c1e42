import { runLossGolden } from '../test/golden-runner.js';
import { arcFaceLoss } from './index.js';

runLossGolden('ArcFaceLoss', (p, extra) =>
  arcFaceLoss({
    numClasses: p.num_classes as number,
    embeddingSize: p.embedding_size as number,
    ...(p.margin !== undefined && { margin: p.margin as number }),
    ...(p.scale !== undefined && { scale: p.scale as number }),
    ...extra,
  }),
);
