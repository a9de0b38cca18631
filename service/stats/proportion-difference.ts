/**
 * The difference of two independent proportions p1 − p2 with Newcombe's hybrid score interval
 * (method 10 of Newcombe 1998), built from the two Wilson intervals. Used wherever two churn rates
 * of separate samples are set against each other: a campaign's treatment against its hold-out,
 * and a period against its comparison period. Unlike the Wald interval it stays sensible for
 * small groups and rates near 0, where Wald collapses to zero width.
 */
import { wilsonInterval } from './wilson.ts';

/** Newcombe's hybrid score interval for k1/n1 − k2/n2; null when either group is empty. */
export function newcombeDifference(k1: number, n1: number, k2: number, n2: number, confidence = 0.95): [number, number] | null {
  if (n1 === 0 || n2 === 0) return null;
  const a = wilsonInterval(k1, n1, confidence);
  const b = wilsonInterval(k2, n2, confidence);
  const d = a.proportion! - b.proportion!;
  return [d - Math.sqrt((a.proportion! - a.lower) ** 2 + (b.upper - b.proportion!) ** 2), d + Math.sqrt((a.upper - a.proportion!) ** 2 + (b.proportion! - b.lower) ** 2)];
}
