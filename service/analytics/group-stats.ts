/**
 * Churn per group with its uncertainty (docs/definitions.md): Wilson interval per rate, and against a named
 * reference group the relative risk (log-method CI), risk difference and Pearson chi-square
 * p-value. The reference is the automatic / on-time / no-fee group by default, else the largest.
 */
import { compareRisks } from '../stats/risk-comparison.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import type { Factor, GroupStat } from './contracts.ts';

export interface Count {
  key: string;
  n: number;
  churned: number;
}

let MIN_GROUP_SIZE = 30;
export function setMinGroupSize(n: number): void {
  MIN_GROUP_SIZE = n;
}
export const minGroupSize = (): number => MIN_GROUP_SIZE;
export const isSmallSample = (n: number): boolean => n < MIN_GROUP_SIZE;

const PREFERRED: Partial<Record<Factor | 'late_invoices' | 'fees', string>> = {
  payment_method_class: 'automatic',
  timeliness: 'on_time',
  fee_exposure: 'none',
  plan_fit: 'fits_use',
  satisfaction_level: 'satisfied',
  late_invoices: '0',
  fees: '0',
};

export function chooseReference(factor: string, counts: readonly Count[], requested?: string, automaticMethods?: Set<string>): string | null {
  const present = counts.filter((c) => c.n > 0);
  if (present.length === 0) return null;
  if (requested && present.some((c) => c.key === requested)) return requested;
  const preferred = PREFERRED[factor as Factor];
  if (preferred && present.some((c) => c.key === preferred)) return preferred;
  const pool = factor === 'payment_method' && automaticMethods ? present.filter((c) => automaticMethods.has(c.key)) : [];
  const candidates = pool.length ? pool : present;
  return [...candidates].sort((a, b) => b.n - a.n || a.key.localeCompare(b.key))[0].key;
}

export function groupStats(counts: readonly Count[], reference: string | null): GroupStat[] {
  const ref = counts.find((c) => c.key === reference);
  return counts.map((c) => {
    const ci = wilsonInterval(c.churned, c.n);
    const base = { key: c.key, n: c.n, churned: c.churned, rate: ci.proportion, rate_ci: c.n > 0 ? ([ci.lower, ci.upper] as [number, number]) : null, small_sample: isSmallSample(c.n) };
    if (!ref || c.key === ref.key) {
      return { ...base, relative_risk: ref ? 1 : null, rr_ci: null, risk_difference: ref ? 0 : null, p_value: null, is_reference: !!ref };
    }
    const cmp = compareRisks({ n: c.n, events: c.churned }, { n: ref.n, events: ref.churned });
    return {
      ...base,
      relative_risk: cmp.relativeRisk,
      rr_ci: cmp.relativeRiskCi,
      risk_difference: cmp.riskDifference,
      p_value: cmp.pValue,
      is_reference: false,
    };
  });
}
