import type { Tensor } from '@tensorflow/tfjs-core';
import type { IndicesTuple, IndicesTupleLike } from '../contract/indices-tuple.js';
import type { IndicesLike } from '../contract/tensors.js';
import { EmbError, quote } from '../errors.js';
import { isTensor } from './is-tensor.js';

function toIndexArray(x: IndicesLike, field: string, limit: number): Int32Array {
  let values: ArrayLike<number>;
  if (isTensor(x)) values = (x as Tensor).dataSync() as ArrayLike<number>;
  else if (x instanceof Int32Array || Array.isArray(x) || ArrayBuffer.isView(x)) values = x as ArrayLike<number>;
  else
    throw new EmbError('INVALID_ARGUMENT', `indices.${field} must be an Int32Array, an array or a tensor, got ${quote(x)}.`, {
      field,
    });
  // Int32Array (what miners return, often millions of entries): one unsigned comparison per
  // entry finds negatives and values >= limit alike; the slow loop below only names the culprit.
  if (values instanceof Int32Array) {
    let bad = false;
    for (let i = 0; i < values.length; i++) if ((values[i] as number) >>> 0 >= limit) bad = true;
    if (!bad) return values;
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v) || v < 0 || v >= limit) {
      throw new EmbError(
        'INVALID_ARGUMENT',
        `indices.${field}[${i}] is ${quote(v)} but must be an integer in [0, ${limit}) (the number of rows it indexes).`,
        { field, index: i, value: v, limit },
      );
    }
  }
  return values instanceof Int32Array ? values : Int32Array.from(values);
}

/**
 * Validates an indices tuple (pairs or triplets) against the batch sizes and returns it
 * with `Int32Array` fields. Anchors index the `numEmbeddings` rows; positives and
 * negatives index the `numRef` reference rows (the embeddings themselves when there is
 * no reference set).
 */
export function toIndicesTuple(tuple: IndicesTupleLike, numEmbeddings: number, numRef = numEmbeddings): IndicesTuple {
  if (tuple === null || typeof tuple !== 'object' || (tuple.kind !== 'triplets' && tuple.kind !== 'pairs')) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `indices must be { kind: 'triplets', anchors, positives, negatives } or { kind: 'pairs', posAnchors, positives, negAnchors, negatives }, got ${quote(tuple)}.`,
    );
  }
  if (tuple.kind === 'triplets') {
    const anchors = toIndexArray(tuple.anchors, 'anchors', numEmbeddings);
    const positives = toIndexArray(tuple.positives, 'positives', numRef);
    const negatives = toIndexArray(tuple.negatives, 'negatives', numRef);
    if (anchors.length !== positives.length || anchors.length !== negatives.length) {
      throw new EmbError(
        'SHAPE_MISMATCH',
        `triplet indices must have equal lengths, got anchors ${anchors.length}, positives ${positives.length}, negatives ${negatives.length}.`,
      );
    }
    return { kind: 'triplets', anchors, positives, negatives };
  }
  const posAnchors = toIndexArray(tuple.posAnchors, 'posAnchors', numEmbeddings);
  const positives = toIndexArray(tuple.positives, 'positives', numRef);
  const negAnchors = toIndexArray(tuple.negAnchors, 'negAnchors', numEmbeddings);
  const negatives = toIndexArray(tuple.negatives, 'negatives', numRef);
  if (posAnchors.length !== positives.length || negAnchors.length !== negatives.length) {
    throw new EmbError(
      'SHAPE_MISMATCH',
      `pair indices: posAnchors (${posAnchors.length}) must match positives (${positives.length}) and negAnchors (${negAnchors.length}) must match negatives (${negatives.length}).`,
    );
  }
  return { kind: 'pairs', posAnchors, positives, negAnchors, negatives };
}
