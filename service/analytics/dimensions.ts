/**
 * The names of the analysis: segment dimensions, behaviour factors, and the factors and Cox
 * adjustments built from them. Kept free of imports (zod above all) so that the dashboard can
 * bundle the lists it needs at run time without the API's schemas: importing them from
 * contracts.ts put all of zod and every schema's construction (≈ 130 KB, ≈ 100 ms of main thread
 * in headless Chromium) on the path of every first page load.
 */

export const SEGMENT_DIMENSIONS = ['vertical', 'market', 'age_band', 'tenure_band', 'plan', 'invoice_channel', 'payment_method_class'] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];
/** Behaviours beyond payment that the surveys name as churn drivers (docs/domain.md); usable as factors and Cox adjustments. */
export const BEHAVIOUR_FACTORS = ['plan_fit', 'satisfaction_level'] as const;
export const FACTORS = [...SEGMENT_DIMENSIONS, 'payment_method', 'timeliness', 'fee_exposure', ...BEHAVIOUR_FACTORS] as const;
export const ADJUSTMENTS = [...SEGMENT_DIMENSIONS, ...BEHAVIOUR_FACTORS] as const;
export type Adjustment = (typeof ADJUSTMENTS)[number];
export type Factor = (typeof FACTORS)[number];
