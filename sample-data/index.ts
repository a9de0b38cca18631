/**
 * The generator's public surface. The service imports this to load the default sample at first
 * start, the CLI and the tests use the same functions; everything else in the folder is detail.
 */
export type { SampleSize, SampleOptions, Manifest, PlantedEffects, PlantedCovariate } from './types.ts';
export type { DirtStats, RejectionCode } from './dirt.ts';
export type { PopulationTruths, RelativeRisk, GroupRate } from './model.ts';
export { customersForSize, generateNdjsonChunks, SampleRun, DEFAULT_END, DEFAULT_MONTHS } from './generate.ts';
export { plantedEffects } from './planted.ts';
export { writeSample, type WriteOptions } from './write.ts';
export { postSample, type PostOptions, type PostResult } from './post.ts';
export { EVENT_TYPES, type EventType } from './events.ts';
export { REJECTION_CODES, REQUIRED_FIELDS } from './dirt.ts';
