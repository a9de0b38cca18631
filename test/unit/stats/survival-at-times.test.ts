/**
 * `times=`: S(t), its log(−log) limits and n.risk at exactly the requested horizons must be R's
 * `summary(survfit, times = )` figures to 1e-9, with and without delayed entry.
 */

import { describe, expect, it } from 'vitest';
import { survivalAtTimes, survivalAtTimesByGroup } from '../../../service/stats/kaplan-meier.ts';
import { expectCurveMatches, loadChurnReference, loadDelayedEntryReference, numeric } from './reference-data.ts';

const TIMES_TOLERANCE = 1e-9;

describe('survivalAtTimes against R summary(survfit, times = c(6, 12, 24))', () => {
  it('right-censored reference, by payment method', () => {
    const { columns, expected } = loadChurnReference();
    const km = expected.kaplan_meier;
    expect(new Set(km.times)).toEqual(new Set([6, 12, 24]));
    const byLevel = new Map(
      survivalAtTimesByGroup(numeric(columns.tenure_months), numeric(columns.churned), columns.method_class, [6, 12, 24]).map(({ level, points }) => [
        `method_class=${level}`,
        points,
      ]),
    );
    expectCurveMatches(byLevel, { ...km, lower: km.lower95, upper: km.upper95 }, TIMES_TOLERANCE, 'times=');
  });

  it('delayed-entry reference, by payment method', () => {
    const { columns, expected, entry, exit, event } = loadDelayedEntryReference();
    expect(new Set(expected.km.times)).toEqual(new Set([6, 12, 24]));
    const byLevel = new Map(survivalAtTimesByGroup(exit, event, columns.method_class, [6, 12, 24], { entry }).map(({ level, points }) => [level, points]));
    expectCurveMatches(byLevel, expected.km, TIMES_TOLERANCE, 'times= with delayed entry');
  });
});
describe('survivalAtTimes by hand', () => {
  it('reads the step at the last event time ≤ t, in the order asked, and counts n.risk at t', () => {
    // Events at 1 and 3; with entry, the fourth subject is at risk only after 2.
    const points = survivalAtTimes([1, 2, 3, 4], [1, 0, 1, 0], [3, 0.5, 2.9, 5], { entry: [0, 0, 0, 2] });
    expect(points.map((p) => [p.time, p.atRisk, p.beyondFollowUp])).toEqual([
      [3, 2, false],
      [0.5, 3, false],
      [2.9, 2, false],
      [5, 0, true],
    ]);
    expect(points[0].survival).toBeCloseTo(1 / 3, 15);
    expect(points[1]).toMatchObject({ survival: 1, lower: 1, upper: 1 });
    expect(points[2].survival).toBeCloseTo(2 / 3, 15);
    expect(points[3].survival).toBeCloseTo(1 / 3, 15);
  });
});
