/**
 * Cochran–Armitage test for a linear trend in proportions across ordered groups (scores 0, 1, …):
 * does churn rise with each extra late invoice or fee? Chi-square with 1 degree of freedom.
 */
import { chiSquareUpperTail } from './distributions.ts';

export interface TrendTest {
  chiSquare: number;
  pValue: number;
}

export function cochranArmitage(groups: readonly { n: number; events: number; score: number }[]): TrendTest | null {
  const N = groups.reduce((s, g) => s + g.n, 0);
  const R = groups.reduce((s, g) => s + g.events, 0);
  if (groups.length < 2 || N === 0 || R === 0 || R === N) return null;
  const p = R / N;
  let t = 0;
  let sx = 0;
  let sxx = 0;
  for (const g of groups) {
    t += g.score * (g.events - g.n * p);
    sx += g.n * g.score;
    sxx += g.n * g.score * g.score;
  }
  const variance = p * (1 - p) * (sxx - (sx * sx) / N);
  if (!(variance > 0)) return null;
  const chiSquare = (t * t) / variance;
  return { chiSquare, pValue: chiSquareUpperTail(chiSquare, 1) };
}
