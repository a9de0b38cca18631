/**
 * Stable ascending argsort for numeric columns. Every survival statistic here starts by ordering
 * hundreds of thousands of rows by time (and concordance also by risk score), inside an HTTP
 * request; a comparator sort over an index array costs tens of milliseconds at that size, so this
 * is an LSD radix sort on the IEEE-754 bit pattern instead: linear time, no per-row allocation,
 * and stable, so rows with equal keys keep their input order (callers rely on that only for
 * determinism, never for correctness).
 */

const RADIX_BITS = 16;
const RADIX_SIZE = 1 << RADIX_BITS;
const RADIX_MASK = RADIX_SIZE - 1;

/**
 * Indices that put `values` in ascending numeric order (ties in input order). Values must be
 * finite or ±Infinity; NaN has no place in an ordering and is rejected.
 */
export function orderAscending(values: ArrayLike<number>): Uint32Array {
  const n = values.length;
  const bits = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isNaN(v)) throw new RangeError(`orderAscending: NaN at index ${i}`);
    // Adding +0 turns -0 into +0, so the two zeros (equal as numbers) share one key.
    bits[i] = v + 0;
  }
  const words = new Uint32Array(bits.buffer);
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  const loOffset = littleEndian ? 0 : 1;
  const hiOffset = 1 - loOffset;
  for (let i = 0; i < n; i++) {
    let h = words[2 * i + hiOffset];
    let l = words[2 * i + loOffset];
    // Map the IEEE pattern to an unsigned key with the same order: negatives reverse, so flip
    // every bit; positives sort above all negatives, so set the sign bit.
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else {
      h = (h | 0x80000000) >>> 0;
    }
    hi[i] = h;
    lo[i] = l;
  }

  // Keys travel with the indices, so every pass reads sequentially; only the scattered writes
  // are random.
  let index = new Uint32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  let keyHi = hi;
  let keyLo = lo;
  let nextIndex = new Uint32Array(n);
  let nextHi = new Uint32Array(n);
  let nextLo = new Uint32Array(n);
  const counts = new Uint32Array(RADIX_SIZE);

  for (let pass = 0; pass < 4; pass++) {
    const useHi = pass >= 2;
    const shift = pass % 2 === 0 ? 0 : RADIX_BITS;
    const key = useHi ? keyHi : keyLo;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(key[i] >>> shift) & RADIX_MASK]++;
    // Integer-valued times share all low mantissa digits; a pass where every key falls in one
    // bucket cannot change the order, so skip it.
    if (n === 0 || counts[(key[0] >>> shift) & RADIX_MASK] === n) continue;
    let total = 0;
    for (let b = 0; b < RADIX_SIZE; b++) {
      const c = counts[b];
      counts[b] = total;
      total += c;
    }
    for (let i = 0; i < n; i++) {
      const to = counts[(key[i] >>> shift) & RADIX_MASK]++;
      nextIndex[to] = index[i];
      nextHi[to] = keyHi[i];
      nextLo[to] = keyLo[i];
    }
    [index, nextIndex] = [nextIndex, index];
    [keyHi, nextHi] = [nextHi, keyHi];
    [keyLo, nextLo] = [nextLo, keyLo];
  }
  return index;
}

/**
 * Order of group levels in results: numbers before strings, numbers numerically, strings by code
 * unit. For labels of one case (like the reference's `automatic`/`manual`, `18-29`/`30-49`) this is
 * the order R gives factor levels, so groups line up with R output.
 */
export function compareLevels(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
