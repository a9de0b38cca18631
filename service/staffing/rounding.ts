/**
 * Agents are whole people, so every staffing model ends in a ceiling, but what gets rounded is
 * usually a quotient of decimal inputs that binary floating point can land a hair above the true
 * integer (21 / (1 − 0.3) = 30.000000000000004), and a bare Math.ceil then rosters a whole extra
 * agent (31 instead of 30). Values within a relative 1e-9 of an integer are therefore snapped onto it first: far
 * below any difference in workload that matters, far above accumulated rounding error.
 */

const RELATIVE_TOLERANCE = 1e-9;

export function ceilTolerant(x: number): number {
  const nearest = Math.round(x);
  if (Math.abs(x - nearest) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(x))) return nearest;
  return Math.ceil(x);
}

/** The floor with the same snapping: 30 rostered agents at 30 % shrinkage are 21 on the phones, not 20. */
export function floorTolerant(x: number): number {
  const nearest = Math.round(x);
  if (Math.abs(x - nearest) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(x))) return nearest;
  return Math.floor(x);
}
