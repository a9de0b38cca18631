/**
 * The churn-risk model: the assembled Cox fit matches R's coxph on the shared reference data, the
 * Breslow baseline and the hold-out metrics agree with brute-force definitions, and the SQL linear
 * predictor scores rows exactly as the TypeScript one does (real DuckDB, in memory).
 */
import { describe, expect, it } from 'vitest';
import { Database } from '../../../service/db/database.ts';
import { breslowBaseline, customerRisk, fitRiskModel, linearPredictorSql, MODEL_FACTORS, rawLinearPredictor, riskOf, validate, type ModelFactor, type ModelRows } from '../../../service/offers/risk-model.ts';
import { fill } from '../../../service/offers/rules.ts';
import { expectMatchesReference, loadChurnReference, numeric } from '../stats/reference-data.ts';

function referenceRows(): ModelRows {
  const { columns } = loadChurnReference();
  const n = columns.churned.length;
  const constant = Array.from({ length: n }, () => 'x');
  const factors = Object.fromEntries(MODEL_FACTORS.map((f) => [f, constant])) as Record<ModelFactor, string[]>;
  factors.payment_method_class = columns.method_class;
  factors.timeliness = columns.late.map((v) => (v === '1' ? 'late_once' : 'on_time'));
  factors.fee_exposure = columns.fee_exposed.map((v) => (v === '1' ? 'one' : 'none'));
  factors.age_band = columns.age_band;
  return { time: numeric(columns.tenure_months), event: Uint8Array.from(numeric(columns.churned)), factors };
}

describe('risk model fit', () => {
  it('matches R coxph (Efron) on the shared reference data, up to the choice of reference level', () => {
    const { expected } = loadChurnReference();
    const r = Object.fromEntries(expected.cox_efron.terms.map((t: string, i: number) => [t, expected.cox_efron.coef[i]]));
    const fit = fitRiskModel(referenceRows());
    const coef = (term: string) => fit.terms.find((t) => `${t.factor}=${t.level}` === term)!.coef;
    expect(fit.references).toMatchObject({ payment_method_class: 'automatic', timeliness: 'on_time', fee_exposure: 'none', age_band: '30-49' });
    expectMatchesReference(coef('payment_method_class=manual'), r.method_classmanual, 'manual');
    expectMatchesReference(coef('timeliness=late_once'), r.late, 'late');
    expectMatchesReference(coef('fee_exposure=one'), r.fee_exposed, 'fee');
    // R's reference is 50-79; here it is the largest band, 30-49: the same model reparametrised.
    expectMatchesReference(coef('age_band=18-29'), r['age_band18-29'] - r['age_band30-49'], '18-29');
    expectMatchesReference(coef('age_band=50-79'), -r['age_band30-49'], '50-79');
    expectMatchesReference(fit.loglik[1], expected.cox_efron.loglik[1], 'loglik');
    expectMatchesReference(fit.concordance, expected.cox_efron.concordance, 'concordance');
    // Constant factors get no term.
    expect(fit.terms.some((t) => t.factor === 'vertical')).toBe(false);
  });

  it('pools levels too small for a coefficient with the reference, and refuses without enough churn', () => {
    const rows = referenceRows();
    rows.factors.vertical = rows.factors.vertical.map((_, i) => (i < 20 ? 'alarm' : 'telecom'));
    const fit = fitRiskModel(rows);
    expect(fit.pooled).toEqual([expect.objectContaining({ factor: 'vertical', level: 'alarm', n: 20 })]);
    const few = { ...rows, event: new Uint8Array(rows.event.length).map((_, i) => (i < 5 ? 1 : 0)) };
    expect(() => fitRiskModel(few)).toThrow(/at least 20 churn events/);
  });

  it('never gives a level without churn an infinite coefficient: it is pooled with the reference', () => {
    const rows = referenceRows();
    // 200 customers in one vertical, none of whom churned: the MLE of their coefficient is −∞.
    let k = 0;
    rows.factors.vertical = rows.factors.vertical.map((_, i) => (rows.event[i] === 0 && k++ < 200 ? 'alarm' : 'telecom'));
    const fit = fitRiskModel(rows);
    expect(fit.pooled).toContainEqual({ factor: 'vertical', level: 'alarm', n: 200, events: 0 });
    expect(fit.terms.some((t) => t.level === 'alarm')).toBe(false);
    expect(fit.terms.every((t) => Number.isFinite(t.coef))).toBe(true);
  });
});

describe('Breslow baseline and risk', () => {
  it('equals the brute-force sum over event times of d / Σ exp(η) over those still at risk', () => {
    const time = Float64Array.from([5, 3, 3, 8, 1, 9, 3, 7, 7, 2]);
    const event = Uint8Array.from([1, 1, 0, 1, 0, 0, 1, 1, 1, 1]);
    const eta = Float64Array.from([0.2, -0.1, 0.5, 0, 1, -0.3, 0.4, 0.1, 0, 0.7]);
    let brute = 0;
    for (const t of [...new Set(time)].sort((a, b) => a - b)) {
      const d = [...time].filter((x, i) => x === t && event[i]).length;
      const s = [...time].reduce((acc, x, j) => acc + (x >= t ? Math.exp(eta[j]) : 0), 0);
      if (d) brute += d / s;
    }
    expect(breslowBaseline(time, event, eta)).toBeCloseTo(brute, 14);
    // With η = 0 it is the Nelson–Aalen estimate.
    expect(breslowBaseline(time, event, new Float64Array(10))).toBeCloseTo(1 / 9 + 2 / 8 + 1 / 5 + 2 / 4 + 1 / 2, 14);
  });

  it("gives a customer's risk an interval from the coefficients' covariance", () => {
    const fit = fitRiskModel(referenceRows());
    const values = { payment_method_class: 'manual', timeliness: 'late_once', fee_exposure: 'none', age_band: '18-29' } as Record<ModelFactor, string>;
    const r = customerRisk(fit, values);
    expect(r.risk).toBeCloseTo(riskOf(fit.baseline, r.eta), 14);
    expect(r.ci[0]).toBeLessThan(r.risk);
    expect(r.ci[1]).toBeGreaterThan(r.risk);
    const reference = customerRisk(fit, { payment_method_class: 'automatic', timeliness: 'on_time', fee_exposure: 'none', age_band: '30-49' } as Record<ModelFactor, string>);
    expect(reference.eta).toBe(0);
    expect(r.risk).toBeGreaterThan(reference.risk);
  });
});

describe('hold-out validation', () => {
  it('reports the AUC as the share of (churner, stayer) pairs ranked right, and calibration by decile', () => {
    const rows = referenceRows();
    const fit = fitRiskModel(rows);
    const v = validate(fit, rows);
    const eta = rawLinearPredictor(fit.terms, rows.factors, rows.time.length);
    let good = 0;
    let pairs = 0;
    for (let i = 0; i < eta.length; i++) {
      if (!rows.event[i]) continue;
      for (let j = 0; j < eta.length; j++) {
        if (rows.event[j]) continue;
        pairs++;
        good += eta[i] > eta[j] ? 1 : eta[i] === eta[j] ? 0.5 : 0;
      }
    }
    expect(v.auc).toBeCloseTo(good / pairs, 12);
    expect(v.concordance).toBeCloseTo(fit.concordance!, 12);
    expect(v.calibration).toHaveLength(10);
    expect(v.calibration.reduce((s, d) => s + d.n, 0)).toBe(rows.time.length);
    expect(v.calibration.reduce((s, d) => s + d.churned, 0)).toBe(v.events);
    for (let d = 1; d < 10; d++) expect(v.calibration[d].mean_predicted).toBeGreaterThanOrEqual(v.calibration[d - 1].mean_predicted);
  });
});

describe('the linear predictor in SQL', () => {
  it('scores rows exactly as the TypeScript predictor', async () => {
    const rows = referenceRows();
    const fit = fitRiskModel(rows);
    const db = await Database.open({ path: ':memory:' });
    try {
      const lp = await db.withConnection(async (c) => {
        await c.run(`CREATE TABLE f (i INTEGER, ${MODEL_FACTORS.map((m) => `"${m}" VARCHAR`).join(', ')})`);
        const values = rows.time.length;
        for (let start = 0; start < values; start += 500) {
          const slice = Array.from({ length: Math.min(500, values - start) }, (_, k) => start + k);
          await c.run(`INSERT INTO f VALUES ${slice.map((i) => `(${i}, ${MODEL_FACTORS.map((m) => `'${rows.factors[m][i]}'`).join(', ')})`).join(', ')}`);
        }
        const q = fill('SELECT ({{@lp}})::DOUBLE AS lp FROM f ORDER BY i', { lp: linearPredictorSql(fit, 'f') });
        return (await c.runAndReadAll(q.text, q.params)).getColumnsObjectJS().lp as number[];
      });
      const ts = rawLinearPredictor(fit.terms, rows.factors, rows.time.length);
      lp.forEach((v, i) => expect(v).toBeCloseTo(ts[i], 12));
    } finally {
      await db.close();
    }
  });
});
