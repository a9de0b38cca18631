// Hand-checkable schedules first (the arithmetic is in the comments), then a seeded comparison with
// an independent first-in-first-out replay that checks both the targets and the minimality of the peak.
import { describe, expect, it } from 'vitest';
import { StaffingInputError } from '../../../service/staffing/errors.ts';
import { MAX_WORKLOAD_INTERVALS, workloadStaffing, type WorkloadInput } from '../../../service/staffing/workload.ts';

const HALF_HOUR = 1800;
const HOUR = 3600;

/** Half-hour intervals, 5-minute items (6 per agent per interval at 100 %), 1-hour target (k = 2). */
const simple: WorkloadInput = {
  itemsPerInterval: [],
  intervalSeconds: HALF_HOUR,
  handleSeconds: 300,
  targetSeconds: HOUR,
  maxOccupancy: 1,
  shrinkage: 0,
};

const column = <K extends keyof ReturnType<typeof workloadStaffing>['intervals'][number]>(
  result: ReturnType<typeof workloadStaffing>,
  key: K,
) => result.intervals.map((row) => row[key]);

describe('workloadStaffing, hand-checked', () => {
  it('spreads a burst over its target window', () => {
    // 12 items × 300 s = 3 600 s due within 2 half-hours of 1 800 s each: one agent, busy twice.
    const got = workloadStaffing({ ...simple, itemsPerInterval: [0, 12, 0, 0] });
    expect(got.target_window_intervals).toBe(2);
    expect(got.peak_agents).toBe(1);
    expect(column(got, 'agents')).toEqual([0, 1, 1, 0]);
    expect(column(got, 'handled_seconds')).toEqual([0, 1800, 1800, 0]);
    expect(column(got, 'backlog_seconds')).toEqual([0, 1800, 0, 0]);
    expect(got.total_workload_seconds).toBe(3600);
    expect(got.agent_hours).toBe(1);
  });

  it('looks at runs of intervals, not single intervals', () => {
    // 3 000 s arrives every half-hour. Alone each fits one agent (3 000 / (2 × 1 800) = 0.83), but
    // all four together must be done within 5 half-hours: 12 000 / 9 000 = 1.33 → 2 agents.
    // With one agent the backlog grows by 1 200 s a half-hour and interval 0's work misses its hour.
    const got = workloadStaffing({ ...simple, itemsPerInterval: [10, 10, 10, 10] });
    expect(got.peak_agents).toBe(2);
    expect(column(got, 'agents')).toEqual([2, 2, 2, 2]); // each half-hour's 3 000 s needs ⌈3 000 / 1 800⌉
    expect(column(got, 'backlog_seconds')).toEqual([0, 0, 0, 0]);
    expect(got.agent_hours).toBe(4);
  });

  it('applies occupancy and shrinkage', () => {
    // Hour intervals at 75 % give 2 700 productive s per agent; 36 × 300 s = 10 800 s within 3 h:
    // 10 800 / 8 100 = 1.33 → 2 agents, front-loaded; with 20 % shrinkage ⌈2 / 0.8⌉ = 3 rostered.
    const got = workloadStaffing({
      itemsPerInterval: [36, 0, 0, 0],
      intervalSeconds: HOUR,
      handleSeconds: 300,
      targetSeconds: 3 * HOUR,
      maxOccupancy: 0.75,
      shrinkage: 0.2,
    });
    expect(got.target_window_intervals).toBe(3);
    expect(got.peak_agents).toBe(2);
    expect(got.peak_agents_with_shrinkage).toBe(3);
    expect(column(got, 'agents')).toEqual([2, 2, 0, 0]);
    expect(column(got, 'agents_with_shrinkage')).toEqual([3, 3, 0, 0]);
    expect(column(got, 'handled_seconds')).toEqual([5400, 5400, 0, 0]);
    expect(got.agent_hours).toBe(4);
    expect(got.agent_hours_with_shrinkage).toBe(6);
  });

  it('drains late arrivals after the last interval instead of dropping them', () => {
    const got = workloadStaffing({ ...simple, itemsPerInterval: [0, 0, 12] });
    expect(got.intervals).toHaveLength(4);
    expect(got.intervals[3]).toEqual({
      index: 3,
      arriving_items: 0,
      workload_seconds: 0,
      handled_seconds: 1800,
      backlog_seconds: 0,
      agents: 1,
      agents_with_shrinkage: 1,
    });
    expect(got.agent_hours).toBe(1);
  });

  it('trades peak head-count against the response-time target (4 h versus 24 h)', () => {
    // 100 ten-minute e-mails at 08:00 = 60 000 s; half-hours at 80 % give 1 440 s per agent.
    const day = Array.from({ length: 48 }, (_, i) => (i === 16 ? 100 : 0));
    const base = { itemsPerInterval: day, intervalSeconds: HALF_HOUR, handleSeconds: 600, maxOccupancy: 0.8, shrinkage: 0 };

    // 24 h = 48 half-hours: 60 000 / (48 × 1 440) = 0.87 → 1 agent for ⌈60 000 / 1 440⌉ = 42 half-hours.
    const relaxed = workloadStaffing({ ...base, targetSeconds: 24 * HOUR });
    expect(relaxed.target_window_intervals).toBe(48);
    expect(relaxed.peak_agents).toBe(1);
    expect(relaxed.intervals.filter((row) => row.agents === 1).map((row) => row.index)).toEqual(
      Array.from({ length: 42 }, (_, i) => 16 + i),
    );
    expect(relaxed.intervals).toHaveLength(58); // runs past midnight, within the 24 h target
    expect(relaxed.agent_hours).toBe(21);

    // 4 h = 8 half-hours: 60 000 / (8 × 1 440) = 5.2 → 6 agents; 6 × 1 440 = 8 640 s a half-hour
    // clears it in 7 half-hours (the last one 8 160 s, still ⌈8 160 / 1 440⌉ = 6 agents).
    const tight = workloadStaffing({ ...base, targetSeconds: 4 * HOUR });
    expect(tight.target_window_intervals).toBe(8);
    expect(tight.peak_agents).toBe(6);
    expect(tight.intervals.filter((row) => row.agents > 0).map((row) => [row.index, row.agents])).toEqual(
      Array.from({ length: 7 }, (_, i) => [16 + i, 6]),
    );
    expect(tight.agent_hours).toBe(21);
  });

  it('rounds the target down to whole intervals, tolerating floating point', () => {
    expect(workloadStaffing({ ...simple, itemsPerInterval: [1], targetSeconds: 2.9 * HALF_HOUR }).target_window_intervals).toBe(2);
    expect(workloadStaffing({ ...simple, itemsPerInterval: [1], intervalSeconds: 0.1, targetSeconds: 0.3 }).target_window_intervals).toBe(3);
  });

  it('needs nobody for no work', () => {
    const got = workloadStaffing({ ...simple, itemsPerInterval: [0, 0, 0] });
    expect(got.peak_agents).toBe(0);
    expect(column(got, 'agents')).toEqual([0, 0, 0]);
    expect(got.agent_hours).toBe(0);
    expect(workloadStaffing({ ...simple, itemsPerInterval: [] }).intervals).toEqual([]);
  });
});

/** Replays first-in-first-out service with the given capacity per interval; false if any work misses its window. */
function meetsTargets(work: number[], k: number, capacity: (t: number) => number): boolean {
  const queue = work.map((seconds, i) => ({ due: i + k - 1, seconds }));
  const tolerance = 1e-7 * Math.max(1, work.reduce((a, b) => a + b, 0));
  let head = 0;
  for (let t = 0; head < queue.length; t++) {
    let free = capacity(t);
    while (head < queue.length && head <= t && free > 0) {
      const take = Math.min(free, queue[head].seconds);
      queue[head].seconds -= take;
      free -= take;
      if (queue[head].seconds <= tolerance) head++;
      else break;
    }
    while (head < queue.length && head <= t && queue[head].seconds <= tolerance) head++;
    if (head < queue.length && queue[head].due <= t && queue[head].seconds > tolerance) return false;
  }
  return true;
}

describe('workloadStaffing, seeded random schedules', () => {
  it('meets every target with its schedule, and one agent fewer at the peak would not', () => {
    let state = 0x5eed;
    const random = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 4294967296;
    };
    for (let c = 0; c < 300; c++) {
      const n = 1 + Math.floor(random() * 60);
      const items = Array.from({ length: n }, () => (random() < 0.3 ? 0 : random() * 40));
      const input: WorkloadInput = {
        itemsPerInterval: items,
        intervalSeconds: [900, 1800, 3600][Math.floor(random() * 3)],
        handleSeconds: 60 + random() * 900,
        targetSeconds: 0,
        maxOccupancy: 0.5 + random() * 0.5,
        shrinkage: random() * 0.4,
      };
      input.targetSeconds = input.intervalSeconds * (1 + Math.floor(random() * 12));
      const got = workloadStaffing(input);
      const k = got.target_window_intervals;
      const perAgent = input.intervalSeconds * input.maxOccupancy;
      const work = items.map((x) => x * input.handleSeconds);
      const label = `case ${c}: ${JSON.stringify(input)}`;

      const schedule = got.intervals.map((row) => row.agents * perAgent);
      expect(meetsTargets(work, k, (t) => schedule[t] ?? 0), label).toBe(true);
      expect(Math.max(0, ...got.intervals.map((row) => row.agents)), label).toBe(got.peak_agents);
      if (got.peak_agents > 0) {
        expect(meetsTargets(work, k, () => (got.peak_agents - 1) * perAgent), label).toBe(false);
      }
      const handled = got.intervals.reduce((sum, row) => sum + row.handled_seconds, 0);
      expect(Math.abs(handled - got.total_workload_seconds), label).toBeLessThan(1e-6 * Math.max(1, handled));
    }
  });

  it('handles eight weeks of 15-minute intervals', () => {
    const items = Array.from({ length: MAX_WORKLOAD_INTERVALS }, (_, i) => 30 + 25 * Math.sin(i / 7));
    const got = workloadStaffing({ ...simple, itemsPerInterval: items, intervalSeconds: 900, targetSeconds: 24 * HOUR });
    expect(got.peak_agents).toBeGreaterThan(0);
  });
});

describe('workloadStaffing input validation', () => {
  it.each<[string, Partial<Record<keyof WorkloadInput, unknown>>]>([
    ['itemsPerInterval', { itemsPerInterval: 'lots' }],
    ['itemsPerInterval[1]', { itemsPerInterval: [1, -2, 3] }],
    ['itemsPerInterval[0]', { itemsPerInterval: [Number.NaN] }],
    ['intervalSeconds', { intervalSeconds: 0 }],
    ['handleSeconds', { handleSeconds: -300 }],
    ['targetSeconds', { targetSeconds: 0 }],
    ['targetSeconds', { targetSeconds: 1200 }], // shorter than one half-hour interval
    ['maxOccupancy', { maxOccupancy: 1.5 }],
    ['shrinkage', { shrinkage: 1 }],
  ])('rejects a bad %s', (field, patch) => {
    const run = () => workloadStaffing({ ...simple, itemsPerInterval: [1, 2, 3], ...patch } as WorkloadInput);
    expect(run).toThrow(StaffingInputError);
    try {
      run();
    } catch (error) {
      expect((error as StaffingInputError).details.field).toBe(field);
      expect((error as StaffingInputError).message).toContain(field);
    }
  });

  it('explains a target shorter than an interval', () => {
    expect(() => workloadStaffing({ ...simple, itemsPerInterval: [1], targetSeconds: 600 })).toThrow(/use Erlang C or shorter intervals/);
  });

  it('refuses horizons beyond the cap', () => {
    expect(() => workloadStaffing({ ...simple, itemsPerInterval: new Array(MAX_WORKLOAD_INTERVALS + 1).fill(1) })).toThrow(
      /at most 5376 intervals/,
    );
  });
});
