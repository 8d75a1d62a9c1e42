import { EmbError, quote } from '@emb/core';
import { assertLittleEndian, SNAPSHOT_FORMAT_VERSION, SNAPSHOT_MAGIC } from './encode-snapshot.js';
import { crc32 } from './internal/crc32.js';
import type { TrainingSnapshot } from './training-snapshot.js';

function corrupt(what: string, source: string, details: Record<string, unknown> = {}): EmbError {
  return new EmbError(
    'CORRUPT_FILE',
    `${source} is not a valid emb training snapshot: ${what}. Resume from another checkpoint, or start the run again.`,
    { source, ...details },
  );
}

/**
 * Reads bytes written by `encodeSnapshot` (layout documented there), checking the magic,
 * version, lengths and CRC-32 checksum. Typed arrays come back as fresh, aligned copies.
 *
 * @param bytes The file contents.
 * @param source What to call the bytes in error messages (a path).
 * @throws {EmbError} `CORRUPT_FILE` (bad magic, truncated, checksum mismatch, bad header),
 *   `UNSUPPORTED_VERSION` (written by a newer `@emb/train`).
 * @example
 * const snapshot = decodeSnapshot(await readFile('run/checkpoint.embtrain'), 'run/checkpoint.embtrain');
 */
export function decodeSnapshot(bytes: Uint8Array, source = 'the snapshot'): TrainingSnapshot {
  assertLittleEndian();
  if (!(bytes instanceof Uint8Array)) {
    throw new EmbError('INVALID_ARGUMENT', `decodeSnapshot expects a Uint8Array, got ${quote(bytes)}.`);
  }
  if (bytes.length < 20) throw corrupt(`only ${bytes.length} bytes long`, source);
  let magic = '';
  for (let i = 0; i < 8; i++) magic += String.fromCharCode(bytes[i] as number);
  if (magic !== SNAPSHOT_MAGIC) throw corrupt(`wrong magic bytes ${quote(magic)} (expected ${quote(SNAPSHOT_MAGIC)})`, source);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== SNAPSHOT_FORMAT_VERSION) {
    throw new EmbError(
      'UNSUPPORTED_VERSION',
      `${source} uses snapshot format version ${version}; this @emb/train reads version ${SNAPSHOT_FORMAT_VERSION}. Upgrade @emb/train to resume it.`,
      { source, version, supported: [SNAPSHOT_FORMAT_VERSION] },
    );
  }
  const expected = view.getUint32(bytes.length - 4, true);
  const actual = crc32(bytes.subarray(0, bytes.length - 4));
  if (expected !== actual) {
    throw corrupt(
      `checksum mismatch (stored ${expected.toString(16)}, computed ${actual.toString(16)}): the file is truncated or damaged`,
      source,
      {
        expected,
        actual,
      },
    );
  }
  const headerLength = view.getUint32(12, true);
  const dataStart = Math.ceil((16 + headerLength) / 8) * 8;
  if (dataStart > bytes.length - 4) throw corrupt(`header length ${headerLength} runs past the end`, source);
  const dataEnd = bytes.length - 4;
  let parsed: unknown;
  try {
    parsed = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(16, 16 + headerLength)),
      (_key, value) => {
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          if ('$number' in value) return Number((value as { $number: string }).$number);
          if ('$array' in value) {
            const { $array: dtype, offset, length } = value as { $array: string; offset: number; length: number };
            const width = dtype === 'uint8' ? 1 : 4;
            const start = dataStart + offset;
            if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || start + length * width > dataEnd) {
              throw corrupt(`array at offset ${quote(offset)} of length ${quote(length)} runs past the data section`, source);
            }
            const copy = bytes.slice(start, start + length * width).buffer;
            if (dtype === 'float32') return new Float32Array(copy);
            if (dtype === 'int32') return new Int32Array(copy);
            if (dtype === 'uint8') return new Uint8Array(copy);
            throw corrupt(`unknown array type ${quote(dtype)}`, source);
          }
        }
        return value;
      },
    );
  } catch (error) {
    if (error instanceof EmbError) throw error;
    throw corrupt(`its header is not valid JSON (${(error as Error).message})`, source);
  }
  const s = parsed as Partial<TrainingSnapshot> | null;
  if (s === null || typeof s !== 'object' || s.format !== 'emb-training-snapshot' || s.version !== 1) {
    throw corrupt('its header does not describe a training snapshot', source);
  }
  const problem = checkStructure(s as Record<string, unknown>);
  if (problem !== null) throw corrupt(`its header is inconsistent: ${problem}`, source);
  return s as TrainingSnapshot;
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
const isCount = (x: unknown): boolean => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const ARRAY_OF_DTYPE = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;

/** Why a saved tensor list is not one (`null` when it is): name, shape, dtype and data length agree. */
function checkTensors(list: unknown, field: string): string | null {
  if (!Array.isArray(list)) return `${field} is not a list`;
  for (let i = 0; i < list.length; i++) {
    const t = list[i] as unknown;
    if (!isObject(t) || typeof t.name !== 'string' || !Array.isArray(t.shape) || !t.shape.every(isCount)) {
      return `${field}[${i}] is not a tensor { name, shape, dtype, data }`;
    }
    const kind = ARRAY_OF_DTYPE[t.dtype as keyof typeof ARRAY_OF_DTYPE];
    if (kind === undefined || !(t.data instanceof kind))
      return `${field}[${i}] (${quote(t.name)}) has dtype ${quote(t.dtype)} and data of another type`;
    const size = (t.shape as number[]).reduce((a, b) => a * b, 1);
    if ((t.data as ArrayLike<number>).length !== size) {
      return `${field}[${i}] (${quote(t.name)}) has shape ${quote(t.shape)} but ${(t.data as ArrayLike<number>).length} values`;
    }
  }
  return null;
}

/**
 * Why a decoded header is not a {@link TrainingSnapshot} (`null` when it is). The checksum
 * guards against damage; this guards against a file that is intact but was not written by
 * `encodeSnapshot` (edited by hand, a bug), so `fit` never restores something it misreads.
 */
function checkStructure(s: Record<string, unknown>): string | null {
  for (const field of ['completedEpochs', 'batchInEpoch', 'step'] as const) {
    if (!isCount(s[field])) return `${field} is ${quote(s[field])}, not a count`;
  }
  if (!(typeof s.seed === 'string' || (typeof s.seed === 'number' && Number.isFinite(s.seed)))) return `seed is ${quote(s.seed)}`;
  if (!isObject(s.rng)) return 'rng is not an object';
  for (const [name, state] of Object.entries(s.rng)) {
    if (!Array.isArray(state) || state.length !== 4 || !state.every((w) => isCount(w) && (w as number) <= 0xffffffff)) {
      return `rng.${name} is ${quote(state)}, not four unsigned 32-bit words`;
    }
  }
  const optimizer = s.optimizer;
  if (!isObject(optimizer) || typeof optimizer.className !== 'string' || typeof optimizer.learningRate !== 'number') {
    return 'optimizer is not { className, learningRate, weights, extra }';
  }
  const tensors =
    checkTensors(s.model, 'model') ??
    checkTensors(optimizer.weights, 'optimizer.weights') ??
    checkTensors(optimizer.extra, 'optimizer.extra') ??
    checkTensors(s.lossVariables, 'lossVariables');
  if (tensors !== null) return tensors;
  if (!isObject(s.callbacks)) return 'callbacks is not an object';
  const history = s.history;
  if (!isObject(history) || !Array.isArray(history.epochs) || !(history.stepLosses instanceof Float32Array)) {
    return 'history is not { epochs, stepLosses }';
  }
  if (!history.epochs.every((e) => isObject(e) && isCount(e.epoch) && typeof e.loss === 'number')) {
    return 'history.epochs holds an entry that is not an epoch log';
  }
  return null;
}
