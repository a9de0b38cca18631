import { describe, expect, it } from 'vitest';
import { SampleRun, plantedEffects } from '../../../sample-data/index.ts';
import { AUTOMATIC, MANUAL } from './contract-checker.ts';

/**
 * Lifetime view (docs/definitions.md) recomputed here from the events alone, independently of the
 * generator's own analyzer: each customer once, predominant payment-method class of their
 * payments, ever late (paid after the due date, or unpaid and overdue at the as-of date),
 * churned = cancelled with no later start.
 */
function lifetime(lines: Iterable<string>) {
  const auto = new Set(AUTOMATIC);
  const manual = new Set(MANUAL);
  type C = { a: number; m: number; late: number; cancel: string; start: string; fees: number; vertical: string };
  const cs = new Map<string, C>();
  const invoices = new Map<string, { c: C; due: string; amount: number; paid: number }>();
  let asOf = '';
  for (const line of lines) {
    const e = JSON.parse(line);
    let c = cs.get(e.customer_id);
    if (!c) cs.set(e.customer_id, (c = { a: 0, m: 0, late: 0, cancel: '', start: '', fees: 0, vertical: '' }));
    if (e.occurred_at > asOf) asOf = e.occurred_at;
    if (e.type === 'customer_updated' && e.vertical) c.vertical = e.vertical;
    else if (e.type === 'subscription_started' && e.occurred_at > c.start) c.start = e.occurred_at;
    else if (e.type === 'subscription_cancelled' && e.occurred_at > c.cancel) c.cancel = e.occurred_at;
    else if (e.type === 'fee_charged') c.fees++;
    else if (e.type === 'invoice_issued') invoices.set(e.invoice_id, { c, due: e.due_date, amount: e.amount, paid: 0 });
    else if (e.type === 'payment_received') {
      if (auto.has(e.method)) c.a++;
      else if (manual.has(e.method)) c.m++;
      const inv = invoices.get(e.invoice_id);
      if (inv) {
        inv.paid += e.amount;
        if (inv.paid >= inv.amount) {
          if (e.occurred_at.slice(0, 10) > inv.due) inv.c.late++;
          invoices.delete(e.invoice_id);
        }
      }
    }
  }
  for (const inv of invoices.values()) if (inv.due < asOf.slice(0, 10)) inv.c.late++;
  return [...cs.values()].map((c) => ({
    cls: c.a + c.m === 0 ? 'none' : c.m > c.a ? 'manual' : c.a > c.m ? 'automatic' : 'tie',
    late: c.late > 0,
    fees: c.fees,
    vertical: c.vertical,
    churned: c.cancel !== '' && c.cancel > c.start,
  }));
}

type Row = ReturnType<typeof lifetime>[number];

/** Relative risk with its log-method standard error. */
function rr(rows: Row[], exposed: (r: Row) => boolean, reference: (r: Row) => boolean) {
  const e = rows.filter(exposed);
  const r = rows.filter(reference);
  const a = e.filter((x) => x.churned).length;
  const c = r.filter((x) => x.churned).length;
  const value = a / e.length / (c / r.length);
  const se = Math.sqrt(1 / a - 1 / e.length + 1 / c - 1 / r.length);
  return { value, se, lo: value * Math.exp(-1.96 * se), hi: value * Math.exp(1.96 * se) };
}

describe('sample-data calibration', () => {
  const run = new SampleRun({ size: 20_000, seed: 2024 });
  const rows = lifetime(
    (function* () {
      for (const chunk of run.chunks()) {
        const text = chunk.toString('utf8');
        let s = 0;
        for (let e = text.indexOf('\n'); e >= 0; e = text.indexOf('\n', s)) {
          yield text.slice(s, e);
          s = e + 1;
        }
      }
    })(),
  );
  const truths = plantedEffects({ size: 20_000, seed: 2024 }).population_truths!;

  it('has the planted population truths the brief asks for', () => {
    expect(truths.relative_risks.manual_vs_automatic.rr).toBeGreaterThan(1.8);
    expect(truths.relative_risks.manual_vs_automatic.rr).toBeLessThan(2.2);
    expect(truths.relative_risks.ever_late_vs_on_time.rr).toBeGreaterThan(2.5);
    expect(truths.relative_risks.ever_late_vs_on_time.rr).toBeLessThan(3.1);
    expect(truths.churn_rate).toBeGreaterThan(0.2);
    expect(truths.churn_rate).toBeLessThan(0.35);
    const fees = truths.fee_relative_risks_by_vertical;
    expect(fees.broadband.any_vs_none.rr).toBeGreaterThan(fees.telecom.any_vs_none.rr);
    for (const k of ['any_fee_vs_none', 'under_30_vs_30_plus', 'tenure_under_2y_vs_2y_plus', 'overpriced_vs_not', 'dissatisfied_vs_not']) {
      expect(truths.relative_risks[k].ci95[0], k).toBeGreaterThan(1);
    }
  });

  it('recovers manual vs automatic and late vs on-time within the 95 % CI of the sample', () => {
    const manual = rr(rows, (r) => r.cls === 'manual', (r) => r.cls === 'automatic');
    const late = rr(rows, (r) => r.late, (r) => !r.late);
    const truthManual = truths.relative_risks.manual_vs_automatic.rr;
    const truthLate = truths.relative_risks.ever_late_vs_on_time.rr;
    expect(truthManual).toBeGreaterThanOrEqual(manual.lo);
    expect(truthManual).toBeLessThanOrEqual(manual.hi);
    expect(truthLate).toBeGreaterThanOrEqual(late.lo);
    expect(truthLate).toBeLessThanOrEqual(late.hi);
    const churn = rows.filter((r) => r.churned).length / rows.length;
    expect(churn).toBeGreaterThan(0.2);
    expect(churn).toBeLessThan(0.35);
  });

  it('shows a larger fee effect for broadband than for telecom', () => {
    const fee = (v: string) => rr(rows.filter((r) => r.vertical === v), (r) => r.fees > 0, (r) => r.fees === 0);
    expect(fee('broadband').value).toBeGreaterThan(1.5);
    expect(fee('telecom').value).toBeGreaterThan(1.5);
    const truths2 = truths.fee_relative_risks_by_vertical;
    expect(truths2.broadband.any_vs_none.rr).toBeGreaterThanOrEqual(fee('broadband').lo);
    expect(truths2.broadband.any_vs_none.rr).toBeLessThanOrEqual(fee('broadband').hi);
  });
});
