/**
 * Mixed-integer programmes for the shift optimiser and the roster, solved with HiGHS (the
 * University of Edinburgh's LP/MIP solver, compiled to WebAssembly by the npm package `highs`).
 * A real branch-and-cut solver rather than a greedy heuristic, because shift covering is a set
 * covering problem whose greedy answers are easily 5–15 % off, and the support lead is shown the
 * proven optimality gap instead of being asked to trust one. The WebAssembly module is loaded once
 * per process, lazily, so the service starts as fast as before. Problems are passed as sparse rows
 * (what both callers build naturally) and converted to HiGHS's row-wise matrix; every solve has a
 * time limit, and a solve stopped by it still returns its best integer solution and gap. The
 * module is single-threaded and synchronous: callers keep each problem small (one day and
 * channel, one week of a roster) so a request never blocks the event loop for long.
 */
import loadHighs from 'highs';

type HighsApi = Awaited<ReturnType<typeof loadHighs>>;
let highs: Promise<HighsApi> | null = null;
const solver = () => (highs ??= loadHighs());

export interface MipRow {
  indices: number[];
  values: number[];
  lower: number;
  upper: number;
}

export interface MipProblem {
  cost: number[];
  lower: number[];
  upper: number[];
  integer: boolean[];
  rows: MipRow[];
  /** A feasible solution to start from, so a solve stopped by its time limit still has one. */
  start?: number[];
}

export interface MipOptions {
  timeLimitSeconds: number;
  /** Relative gap at which HiGHS may stop and call the solution optimal. */
  relativeGap?: number;
}

export type MipStatus = 'optimal' | 'time_limit' | 'infeasible';

export interface MipResult {
  status: MipStatus;
  /** Column values (rounded for integer columns); empty when infeasible or no solution was found in time. */
  x: number[];
  objective: number | null;
  /** Best proven lower bound of the objective. */
  bound: number | null;
  /** (objective − bound) / |objective|, 0 when proven optimal. */
  gap: number | null;
  seconds: number;
}

export const INFINITY = Number.POSITIVE_INFINITY;

export async function solveMip(p: MipProblem, o: MipOptions): Promise<MipResult> {
  const h = await solver();
  const n = p.cost.length;
  // Nothing to decide (a closed day): HiGHS reports such a model as "empty", not as solved.
  if (n === 0 || p.rows.length === 0) {
    const x = p.cost.map((c, j) => (c >= 0 ? p.lower[j] : p.upper[j]));
    return { status: 'optimal', x, objective: p.cost.reduce((a, c, j) => a + c * x[j], 0), bound: null, gap: 0, seconds: 0 };
  }
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const r of p.rows) {
    indices.push(...r.indices);
    values.push(...r.values);
    starts.push(indices.length);
  }
  const inf = (v: number) => (v === INFINITY ? h.infinity : v === -INFINITY ? -h.infinity : v);
  const started = performance.now();
  return h.withModel(
    {
      numCols: n,
      numRows: p.rows.length,
      colCost: p.cost,
      colLower: p.lower,
      colUpper: p.upper.map(inf),
      rowLower: p.rows.map((r) => inf(r.lower)),
      rowUpper: p.rows.map((r) => inf(r.upper)),
      matrix: { format: 'csr', numRows: p.rows.length, numCols: n, starts, indices, values: new Float64Array(values) },
      integrality: p.integer.map((i) => (i ? h.constants.variableType.integer : h.constants.variableType.continuous)),
    },
    (model) => {
      model.options.set({ output_flag: false, time_limit: Math.max(0.01, o.timeLimitSeconds), mip_rel_gap: o.relativeGap ?? 1e-6 });
      if (p.start) model.setSolution({ colValue: p.start });
      model.run();
      const status = model.getModelStatus();
      const seconds = (performance.now() - started) / 1000;
      const s = h.constants.modelStatus;
      if (status === s.infeasible || status === s.unboundedOrInfeasible) return { status: 'infeasible' as const, x: [], objective: null, bound: null, gap: null, seconds };
      const hasSolution = Number(model.info.get('primal_solution_status')) === 2;
      if (!hasSolution) {
        if (status === s.timeLimit) return { status: 'time_limit' as const, x: [], objective: null, bound: null, gap: null, seconds };
        throw new Error(`HiGHS ended without a solution (model status ${status})`);
      }
      const x = Array.from(model.getSolution().colValue, (v, j) => (p.integer[j] ? Math.round(v) || 0 : v));
      const objective = p.cost.reduce((acc, c, j) => acc + c * x[j], 0);
      const isMip = p.integer.some(Boolean);
      const bound = isMip ? Number(model.info.get('mip_dual_bound')) : objective;
      const optimal = status === s.optimal;
      const gap = optimal ? Math.max(0, Number(isMip ? model.info.get('mip_gap') : 0)) : Math.abs(objective) > 1e-12 ? Math.max(0, (objective - bound) / Math.abs(objective)) : 0;
      return { status: optimal ? ('optimal' as const) : ('time_limit' as const), x, objective, bound, gap: Number.isFinite(gap) ? gap : null, seconds };
    },
  );
}
