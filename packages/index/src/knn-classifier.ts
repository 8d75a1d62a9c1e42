import { EmbError, type Index, type Neighbours, quote, type VectorsLike } from '@emb/core';

/** Options of {@link knnClassifier}. */
export interface KnnClassifierOptions {
  /** Neighbours that vote. Default 5; clamped to the index size (so a 3-entry index still answers). */
  readonly k?: number;
  /**
   * `'majority'` (default): each labelled neighbour counts 1. `'distance-weighted'`: a neighbour
   * counts `1 / max(d, 1e-12)` where `d` is the L2 distance, `1 - similarity` for cosine, and for
   * dot product `exp(s - s_max)` (a softmax weight, since raw dot products have no zero).
   * Ties go to the label whose nearest neighbour is closest.
   */
  readonly vote?: 'majority' | 'distance-weighted';
  /**
   * Open set: answer `'unknown'` when the winning label's closest neighbour is farther than
   * this (L2 distance above it; cosine / dot similarity below it). Default: never unknown.
   * Pick it with `calibrateThreshold` for a target false-accept rate.
   */
  readonly unknownThreshold?: number;
}

/** One query's answer. */
export interface KnnPrediction {
  /** The predicted label, or `'unknown'` (no labelled neighbour, or none close enough). */
  readonly label: number | 'unknown';
  /** The label the vote chose, even when `label` is `'unknown'` (null when no neighbour had a label). */
  readonly nearestLabel: number | null;
  /** Share of the vote the chosen label got, in [0, 1]. */
  readonly confidence: number;
  /** Distance (or similarity) of the chosen label's closest neighbour; NaN when there is none. */
  readonly distance: number;
  /** The neighbours that voted. */
  readonly neighbours: Neighbours;
}

export interface KnnClassifier {
  readonly index: Index;
  readonly options: Readonly<Required<Omit<KnnClassifierOptions, 'unknownThreshold'>> & { unknownThreshold: number | undefined }>;
  /** Classifies each query row. */
  classify(queries: VectorsLike): Promise<KnnPrediction[]>;
}

/**
 * k-NN classification over an index whose entries carry labels, with an open-set answer:
 * a face never enrolled comes back `'unknown'` instead of the nearest stranger's name.
 * Enrolling a new class is `index.add(vectors, { labels })`; nothing is retrained.
 * Entries without a label are ignored in the vote.
 *
 * @example
 * const clf = knnClassifier(index, { k: 5, vote: 'distance-weighted', unknownThreshold: 0.9 });
 * const [p] = await clf.classify(probe); // p.label: a person id or 'unknown'
 */
export function knnClassifier(index: Index, options: KnnClassifierOptions = {}): KnnClassifier {
  if (index === null || typeof index !== 'object' || typeof index.search !== 'function') {
    throw new EmbError('INVALID_ARGUMENT', `knnClassifier needs an Index (with search()), got ${quote(index)}.`);
  }
  const k = options.k ?? 5;
  const vote = options.vote ?? 'majority';
  const threshold = options.unknownThreshold;
  if (!Number.isInteger(k) || k < 1)
    throw new EmbError('INVALID_OPTION', `knnClassifier: k must be a positive integer, got ${quote(k)}.`, { option: 'k' });
  if (vote !== 'majority' && vote !== 'distance-weighted') {
    throw new EmbError('INVALID_OPTION', `knnClassifier: vote must be 'majority' or 'distance-weighted', got ${quote(vote)}.`, {
      option: 'vote',
    });
  }
  if (threshold !== undefined && (typeof threshold !== 'number' || Number.isNaN(threshold))) {
    throw new EmbError('INVALID_OPTION', `knnClassifier: unknownThreshold must be a number, got ${quote(threshold)}.`, {
      option: 'unknownThreshold',
    });
  }
  const similarity = index.isInverted;

  function predict(n: Neighbours): KnnPrediction {
    const votes = new Map<number, { weight: number; best: number; rank: number }>();
    let total = 0;
    const sMax = n.distances.length > 0 ? (n.distances[0] as number) : 0;
    for (let j = 0; j < n.labels.length; j++) {
      const label = n.labels[j];
      if (label === null || label === undefined) continue;
      const d = n.distances[j] as number;
      let w = 1;
      if (vote === 'distance-weighted') {
        if (!similarity) w = 1 / Math.max(d, 1e-12);
        else if (index.metric === 'cosine') w = 1 / Math.max(1 - d, 1e-12);
        else w = Math.exp(d - sMax);
      }
      total += w;
      const v = votes.get(label);
      if (v) v.weight += w;
      else votes.set(label, { weight: w, best: d, rank: j });
    }
    let winner: number | null = null;
    let win = { weight: -1, best: Number.NaN, rank: Number.POSITIVE_INFINITY };
    for (const [label, v] of votes) {
      // Neighbours come nearest first, so the smaller rank has the closer best neighbour.
      if (v.weight > win.weight || (v.weight === win.weight && v.rank < win.rank)) {
        winner = label;
        win = v;
      }
    }
    const tooFar = threshold !== undefined && winner !== null && (similarity ? win.best < threshold : win.best > threshold);
    return Object.freeze({
      label: winner === null || tooFar ? 'unknown' : winner,
      nearestLabel: winner,
      confidence: winner === null ? 0 : win.weight / total,
      distance: win.best,
      neighbours: n,
    });
  }

  return Object.freeze({
    index,
    options: Object.freeze({ k, vote, unknownThreshold: threshold }),
    async classify(queries: VectorsLike) {
      const size = await index.size();
      if (size === 0) {
        throw new EmbError('EMPTY_BATCH', 'knnClassifier: the index is empty; add labelled vectors (enrol classes) first.');
      }
      const found = await index.search(queries, Math.min(k, size));
      return found.map(predict);
    },
  });
}
