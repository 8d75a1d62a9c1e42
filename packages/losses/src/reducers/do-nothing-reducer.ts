import { EmbError, type LossTerm, type Reducer, specificationVersion } from '@emb/core';

/**
 * PML's `DoNothingReducer`: keeps terms un-reduced. In emb the un-reduced terms come from
 * `loss.terms(input)`; a loss built with this reducer throws from `compute` with a message
 * that says so, instead of silently returning some scalar.
 *
 * @example
 * const terms = tripletMarginLoss().terms({ embeddings, labels }); // un-reduced, per triplet
 */
export function doNothingReducer(): Reducer {
  return Object.freeze({
    specificationVersion,
    name: 'do-nothing',
    reduce(term: LossTerm): never {
      throw new EmbError(
        'INVALID_ARGUMENT',
        `doNothingReducer leaves the ${quoteKind(term.kind)} terms un-reduced, so there is no scalar to return: call loss.terms(input) to get them.`,
      );
    },
  });
}

function quoteKind(kind: string): string {
  return `'${kind}'`;
}
