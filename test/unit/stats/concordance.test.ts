import { describe, expect, it } from 'vitest';
import { concordance } from '../../../service/stats/concordance.ts';
import { fitCox } from '../../../service/stats/cox.ts';
import { expectMatchesReference, indicator, loadChurnReference, numeric } from './reference-data.ts';

/**
 * All pairs, written the way survival's own test suite defines them: for each event i, every j
 * still at risk (later time, or the same time but censored) is compared on the score.
 */
function bruteForce(time: number[], event: number[], score: number[]) {
  let concordant = 0;
  let discordant = 0;
  let tiedScore = 0;
  for (let i = 0; i < time.length; i++) {
    if (event[i] !== 1) continue;
    for (let j = 0; j < time.length; j++) {
      if (j === i) continue;
      const atRisk = time[j] > time[i] || (time[j] === time[i] && event[j] === 0);
      if (!atRisk) continue;
      if (score[i] > score[j]) concordant++;
      else if (score[i] < score[j]) discordant++;
      else tiedScore++;
    }
  }
  return { concordant, discordant, tiedScore, c: (concordant + tiedScore / 2) / (concordant + discordant + tiedScore) };
}

describe('concordance against R coxph', () => {
  it('reproduces the concordance of the reference Efron model', () => {
    const { columns, expected } = loadChurnReference();
    const time = numeric(columns.tenure_months);
    const event = Uint8Array.from(numeric(columns.churned));
    const fit = fitCox(time, event, [
      { name: 'method_classmanual', values: indicator(columns.method_class, 'manual') },
      { name: 'late', values: numeric(columns.late) },
      { name: 'fee_exposed', values: numeric(columns.fee_exposed) },
      { name: 'age_band18-29', values: indicator(columns.age_band, '18-29') },
      { name: 'age_band30-49', values: indicator(columns.age_band, '30-49') },
    ]);
    expect(fit.terms.map((t) => t.name)).toEqual(expected.cox_efron.terms);
    const c = concordance(time, event, fit.linearPredictor);
    expectMatchesReference(c.concordance, expected.cox_efron.concordance, 'concordance');
  });
});

describe('concordance by hand', () => {
  it('agrees with the all-pairs definition on data full of ties', () => {
    let s = 12345;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const n = 300;
    const time: number[] = [];
    const event: number[] = [];
    const score: number[] = [];
    for (let i = 0; i < n; i++) {
      time.push(1 + Math.floor(rand() * 25)); // heavy ties in time
      event.push(rand() < 0.6 ? 1 : 0);
      score.push(Math.floor(rand() * 6) / 2); // heavy ties in score
    }
    const fast = concordance(time, event, score);
    const slow = bruteForce(time, event, score);
    expect(fast.concordant).toBe(slow.concordant);
    expect(fast.discordant).toBe(slow.discordant);
    expect(fast.tiedScore).toBe(slow.tiedScore);
    expect(fast.concordance).toBeCloseTo(slow.c, 14);

    const reversed = concordance(time, event, score, { scoreIsRisk: false });
    expect(reversed.concordant).toBe(slow.discordant);
    expect(reversed.concordance).toBeCloseTo(1 - slow.c, 14);
  });

  it('counts tied event times apart, as R does (tied.y and tied.xy)', () => {
    // Two deaths at t = 2 (scores 1, 1) and one at t = 2 with score 3; a censored subject at t = 2.
    const c = concordance([2, 2, 2, 2, 5], [1, 1, 1, 0, 1], [1, 1, 3, 0, 2]);
    expect(c.tiedTime).toBe(2); // (1,3) twice
    expect(c.tiedTimeAndScore).toBe(1); // (1,1)
    // Each t = 2 death vs the censored (score 0) and vs the t = 5 death (score 2):
    // scores 1: concordant with 0, discordant with 2 (×2); score 3: concordant with both.
    expect([c.concordant, c.discordant, c.tiedScore]).toEqual([4, 2, 0]);
  });

  it('is 1/2 for a constant score and null without comparable pairs', () => {
    expect(concordance([1, 2, 3], [1, 1, 0], [5, 5, 5]).concordance).toBe(0.5);
    expect(concordance([1, 2, 3], [0, 0, 0], [1, 2, 3]).concordance).toBeNull();
  });
});
