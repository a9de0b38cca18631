/**
 * The seeded random generator of every test that draws its own cases: seeded so that a failure
 * reproduces exactly, and the service's own copy (service/stats/seeded-random.ts) so that a test
 * and the bootstrap it checks mean the same sequence.
 */
export { mulberry32 } from '../../service/stats/seeded-random.ts';
