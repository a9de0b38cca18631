/**
 * The seeded random generator (mulberry32): small, fast and the same sequence on every machine, so
 * a bootstrap (staffing/forecast-verdict.ts) gives the same interval on every run and a test that
 * draws its own cases (test/helpers/random.ts re-exports this) reproduces a failure exactly.
 * Uniform in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
