/**
 * The words of the dashboard that a new user cannot guess, each explained once, in one place, so
 * that every page's tooltip (Term.svelte) says the same thing and a change of definition is one
 * edit. Definitions follow the service's (README, docs/definitions.md).
 */
export const GLOSSARY = {
  landmark:
    'Landmark view: customers still subscribed on a landmark date T (as-of minus the horizon), their behaviour in the look-back before T, and whether they cancelled between T and the as-of date. Everyone is followed for the same time, so the comparison is fair; it counts fewer customers than the lifetime view.',
  lifetime:
    'Lifetime view: every customer who ever started, their behaviour over their whole history and whether they cancelled at any time. More customers, but long-lived customers had more time both to be late and to cancel.',
  lookback: 'Look-back: the days before the landmark date whose invoices, payments and fees describe a customer in the landmark view (lookback_days).',
  wilson: 'Wilson interval: a 95 % confidence interval for a proportion that stays inside 0–100 % and behaves well for small groups and rates near 0 or 100 %.',
  wape: 'WAPE (weighted absolute percentage error): Σ |actual − forecast| ÷ Σ actual over the held-out days. 20 % means the daily forecast misses by a fifth of the contacts on average; above 30 % it is too uncertain to plan on.',
  time_thieves: 'Time thieves: admin work that invoicing causes outside customer contacts (manual payment matching, reminders, collections, direct-debit activations), counted per month × handling minutes per task.',
  outlier:
    'Outlier day: a day whose contacts the invoice calendar cannot explain (robust z-score of its residual beyond ±6 and at least 10 contacts off). It stays in the history and back-test but is left out of the fit, so one spike does not become a weekly pattern.',
  small_sample: 'n too small: fewer customers than the minimum group size (30 by default). The figure is shown for completeness but no headline rests on it.',
} as const;

export type GlossaryKey = keyof typeof GLOSSARY;
