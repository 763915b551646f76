/**
 * Numeric samples as sorted Float64Arrays: every statistic on raw values starts from one sort
 * of each side and then walks the sorted arrays, so a million values allocate two arrays, not
 * a million objects.
 */

export type NumericValues = ArrayLike<number | null | undefined>;

export interface SortedSample {
  /** The finite values, ascending. */
  readonly sorted: Float64Array;
  /** null, undefined, NaN and ±Infinity: counted, left out of every statistic. */
  readonly nNull: number;
}

/** Copies the finite values into a Float64Array and sorts it (numeric order). */
export function sortedSample(values: NumericValues): SortedSample {
  const length = values.length;
  const buffer = new Float64Array(length);
  let n = 0;
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) buffer[n++] = v;
  }
  const sorted = n === length ? buffer : buffer.slice(0, n);
  // TypedArray#sort without a comparator is V8's native numeric sort (~0.1 s per million
  // doubles here); a radix sort in JavaScript measured only ~20% faster, not worth its code.
  sorted.sort();
  return { sorted, nNull: length - n };
}

/**
 * The q-quantile of ascending values with numpy's default ('linear') method:
 * index (n−1)·q, interpolated between its neighbours exactly as numpy's _lerp does, so
 * that edges equal numpy's to the last bit and values on an edge fall in the same bin.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty sample');
  const index = (n - 1) * q;
  if (index >= n - 1) return sorted[n - 1]!;
  if (index <= 0) return sorted[0]!;
  const below = Math.floor(index);
  const t = index - below;
  const a = sorted[below]!;
  const b = sorted[below + 1]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Population standard deviation (numpy.std with ddof=0), two passes for accuracy. */
export function populationStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    squares += d * d;
  }
  return Math.sqrt(squares / n);
}
