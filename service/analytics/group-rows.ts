/**
 * A churn group flattened for a table: the Wilson interval of its rate and the CI of its relative
 * risk as four plain bounds (null where there is none). The Arrow answers of the group endpoints
 * (routes/churn.ts) and the dashboard's CSV downloads (web/src/lib/group-csv.ts) both flatten with
 * this one function, so a table and a download can never disagree on a bound. Pure and free of
 * imports, so the dashboard bundles it as it is.
 */

export interface WithIntervals {
  rate_ci: readonly [number, number] | null;
  rr_ci: readonly [number, number] | null;
}

export const intervalBounds = (g: WithIntervals) => ({
  rate_lower: g.rate_ci?.[0] ?? null,
  rate_upper: g.rate_ci?.[1] ?? null,
  rr_lower: g.rr_ci?.[0] ?? null,
  rr_upper: g.rr_ci?.[1] ?? null,
});

/** The Arrow column types of those bounds. */
export const INTERVAL_COLUMNS = { rate_lower: 'float', rate_upper: 'float', rr_lower: 'float', rr_upper: 'float' } as const;
