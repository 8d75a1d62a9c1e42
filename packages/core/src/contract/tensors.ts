import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';

/** Class labels: a tensor, an `Int32Array` or a plain array of integers (one per embedding). */
export type LabelsLike = Tensor1D | Int32Array | readonly number[];

/** Indices of a pair or triplet field: an `Int32Array`, a plain array, or an int32 tensor. */
export type IndicesLike = Int32Array | readonly number[] | Tensor1D;

/** A [N, D] batch of vectors: a tensor, rows of numbers, or a flat `Float32Array` (with its `dim` known elsewhere). */
export type EmbeddingsLike = Tensor2D;
