/**
 * The public shapes of the generator: the options callers pass, the manifest written beside every
 * sample and the planted-effects document. They are what the service, the tests and anyone reading
 * a sample directory rely on, so they live apart from the code that fills them.
 */
import type { DirtStats } from './dirt.ts';
import type { EventType } from './events.ts';
import type { BehaviourParameters, ModelParameters, PopulationTruths } from './model.ts';

export type SampleSize = 'small' | 'default' | 'large' | 'xlarge' | number;

export interface SampleOptions {
  size: SampleSize;
  seed: number;
  months?: number;
  end?: string;
  dirt?: boolean;
  /** History starts mid-life: customers who joined before the window have no subscription_started in the data (simulate.ts). */
  midLife?: boolean;
}

export interface Manifest {
  generator: string;
  seed: number;
  size: SampleSize;
  customers: number;
  months: number;
  window_start: string;
  end: string;
  dirt: boolean;
  /** Set when the history starts mid-life (customers who joined earlier are first seen at the window start). */
  mid_life?: boolean;
  /** Lines in the file, including duplicates and invalid rows. */
  lines: number;
  /** Distinct valid events (what ingestion should accept). */
  events: number;
  event_counts: Record<EventType, number>;
  /** Dirt counts; all zero when dirt is off. */
  dirt_counts: DirtStats & {
    unknown_method_customers: number;
    unknown_method_events: number;
    unknown_method_labels: string[];
  };
  /** What one ingestion of the whole file should report. */
  expected_ingest: { accepted: number; duplicates: number; rejected: number };
  /** Set when written to a directory: file name, its size on disk and the SHA-256 of the uncompressed NDJSON. */
  file?: string;
  bytes?: number;
  ndjson_sha256?: string;
}

export interface PlantedCovariate {
  name: string;
  definition: string;
  beta: number | Record<string, number>;
  exp_beta: number | Record<string, number>;
}

export interface PlantedEffects {
  description: string;
  sample: { seed: number; size: SampleSize; customers: number; months: number; window_start: string; end: string; dirt: boolean };
  hazard_model: {
    form: string;
    time_unit: 'month';
    lookback_days: number;
    h0: ModelParameters['h0'];
    covariates: PlantedCovariate[];
    fee_effect_by_vertical: Record<string, { beta: number; exp_beta: number }>;
  };
  behaviour: BehaviourParameters;
  population_truths: PopulationTruths | null;
  notes: string[];
}
