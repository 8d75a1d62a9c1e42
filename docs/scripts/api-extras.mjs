// What the generated API pages cannot read from the sources: each loss's equation (LaTeX,
// PML 2.8.1's definitions as the JSDoc states them) and its default distance and reducer.
// d = distance, s = similarity, [x]_+ = max(0, x); sums run over the anchor's positives p and
// negatives n in the batch.
export const lossExtras = {
  contrastiveLoss: {
    equation: String.raw`L_{pos} = [\,d_{ap} - m_{pos}\,]_+ ,\qquad L_{neg} = [\,m_{neg} - d_{an}\,]_+`,
    distance: 'lpDistance() (L2, normalised)',
    reducer: 'avgNonZeroReducer(), applied to each sub-loss, then added',
  },
  marginLoss: {
    equation: String.raw`L = [\,d_{ap} - \beta + \alpha\,]_+ + [\,\beta - d_{an} + \alpha\,]_+ ,\quad \alpha = \text{margin}`,
    distance: 'lpDistance() (L2, normalised)',
    reducer: 'divisorReducer() (divides by the number of non-zero parts)',
  },
  tripletMarginLoss: {
    equation: String.raw`L = [\,d(a,p) - d(a,n) + m\,]_+`,
    distance: 'lpDistance() (L2, normalised)',
    reducer: 'avgNonZeroReducer()',
  },
  ntxentLoss: {
    equation: String.raw`L_{ap} = -\log \frac{e^{s_{ap}/\tau}}{e^{s_{ap}/\tau} + \sum_{n} e^{s_{an}/\tau}}`,
    distance: 'cosineSimilarity()',
    reducer: 'meanReducer()',
  },
  multiSimilarityLoss: {
    equation: String.raw`L_i = \frac{1}{\alpha}\log\Big(1 + \sum_{p} e^{-\alpha (s_{ip} - \lambda)}\Big) + \frac{1}{\beta}\log\Big(1 + \sum_{n} e^{\beta (s_{in} - \lambda)}\Big),\quad \lambda = \text{base}`,
    distance: 'cosineSimilarity()',
    reducer: 'meanReducer()',
  },
  circleLoss: {
    equation: String.raw`L_i = \log\Big(1 + \sum_{n} e^{\gamma \alpha_n (s_n - m)} \sum_{p} e^{-\gamma \alpha_p (s_p - 1 + m)}\Big),\quad \alpha_p = [1 + m - s_p]_+,\ \alpha_n = [s_n + m]_+`,
    distance: 'cosineSimilarity()',
    reducer: 'avgNonZeroReducer()',
  },
  liftedStructureLoss: {
    equation: String.raw`L_{ap} = \tfrac12\Big[\log \sum_{n \in N(a) \cup N(p)} e^{m_{neg} - d_n} + d_{ap} - m_{pos}\Big]_+^2`,
    distance: 'lpDistance() (L2, normalised)',
    reducer: 'meanReducer()',
  },
  generalizedLiftedStructureLoss: {
    equation: String.raw`L_i = \Big[\log \sum_{p} e^{d_{ip} - m_{pos}} + \log \sum_{n} e^{m_{neg} - d_{in}}\Big]_+`,
    distance: 'lpDistance() (L2, normalised)',
    reducer: 'meanReducer()',
  },
  nPairsLoss: {
    equation: String.raw`L_k = -\log \frac{e^{s(a_k, p_k)}}{\sum_{j} e^{s(a_k, p_j)}}`,
    distance: 'dotProductSimilarity() (normalised, so cosine)',
    reducer: 'meanReducer()',
  },
  proxyAnchorLoss: {
    equation: String.raw`L = \frac{1}{|P^+|}\sum_{c \in P^+} \log\Big(1 + \sum_{i \in c} e^{-\alpha (s_{ic} - \delta)}\Big) + \frac{1}{C}\sum_{c} \log\Big(1 + \sum_{i \notin c} e^{\alpha (s_{ic} + \delta)}\Big)`,
    distance: 'cosineSimilarity()',
    reducer: 'divisorReducer()',
  },
  arcFaceLoss: {
    equation: String.raw`L_i = -\log \frac{e^{s \cos(\theta_{y_i} + m)}}{e^{s \cos(\theta_{y_i} + m)} + \sum_{j \ne y_i} e^{s \cos \theta_j}}`,
    distance: 'cosineSimilarity() (required)',
    reducer: 'meanReducer()',
  },
  supConLoss: {
    equation: String.raw`L_i = -\frac{1}{|P(i)|} \sum_{p \in P(i)} \log \frac{e^{s_{ip}/\tau}}{\sum_{k \ne i} e^{s_{ik}/\tau}}`,
    distance: 'cosineSimilarity()',
    reducer: 'avgNonZeroReducer()',
  },
  fastAPLoss: {
    equation: String.raw`L_i = 1 - \widehat{AP}_i,\quad \widehat{AP}_i = \frac{1}{N^+_i}\sum_{b} \frac{h^+_b H^+_b}{H_b}\ \text{(histograms of distances over numBins + 1 bins)}`,
    distance: 'lpDistance({ power: 2 }) (squared L2, normalised)',
    reducer: 'meanReducer()',
  },
};

/** One line under each API page's title: what the package is for (the package.json description is the fallback). */
export const packageIntros = {
  '@emb/core': 'The contract every package and plugin shares, errors, the registry, seeded RNG, validation, and `initBackend()`.',
};
