// The gross-up is one line; the point of testing it is the floating-point overshoot at whole numbers.
import { describe, expect, it } from 'vitest';
import { StaffingInputError } from '../../../service/staffing/errors.ts';
import { ceilTolerant } from '../../../service/staffing/rounding.ts';
import { agentsWithShrinkage } from '../../../service/staffing/shrinkage.ts';

describe('agentsWithShrinkage', () => {
  it('rounds the gross-up to whole agents without floating-point overshoot', () => {
    expect(21 / (1 - 0.3)).toBeGreaterThan(30); // the trap this guards against: 30.000000000000004
    expect(agentsWithShrinkage(21, 0.3)).toBe(30);
    expect(agentsWithShrinkage(42, 0.3)).toBe(60); // 60.00000000000001
    expect(agentsWithShrinkage(14, 0.3)).toBe(20);
    expect(agentsWithShrinkage(29, 0.3)).toBe(42);
    expect(agentsWithShrinkage(75, 0.35)).toBe(116);
    expect(agentsWithShrinkage(2, 0.3)).toBe(3);
    expect(agentsWithShrinkage(7, 0)).toBe(7);
    expect(agentsWithShrinkage(0, 0.3)).toBe(0);
  });

  it('rounds up anything genuinely above a whole agent', () => {
    expect(agentsWithShrinkage(22, 0.3)).toBe(32); // 31.43
    expect(ceilTolerant(20.001)).toBe(21);
    expect(ceilTolerant(19.9999999999)).toBe(20);
  });

  it('rejects shrinkage outside [0, 1)', () => {
    expect(() => agentsWithShrinkage(10, 1)).toThrow(StaffingInputError);
    expect(() => agentsWithShrinkage(10, -0.01)).toThrow(/shrinkage must be a finite number ≥ 0 and < 1/);
    expect(() => agentsWithShrinkage(-1, 0.3)).toThrow(/agents/);
  });
});
