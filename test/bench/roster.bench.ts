/**
 * Roster benchmark (issue #16): a 4-week shift plan and roster for 3 channels (phone, chat,
 * e-mail) and 60 named agents over loopback HTTP against the real service on the small sample,
 * at the solver's time limit (time_limit_seconds=5 for the shift plan, the same for the roster).
 * Target: the roster within 10 s wall time, with the MIP gap printed. Two demand levels: the
 * defaults (the small sample needs about 75 shifts a week, far fewer than 60 agents can work) and
 * a floor of 4 agents per channel while open (about 170 shifts a week, two thirds of what the 60
 * agents' contracts hold, so contracts and skills bind).
 * Each is timed cold (first request: forecast fit, 84 day × channel shift problems, 28 roster
 * days) and warm (a changed hourly rate: the fit is cached, the solving is not).
 * Run: npx tsx test/bench/roster.bench.ts
 */
import './thread-pool.ts';
import { Rng } from '../../sample-data/rng.ts';
import { startTestService } from '../helpers/service.ts';

const TARGET_MS = 10_000;
const svc = await startTestService({ SAMPLE_DATA: 'small' });
const rng = new Rng(16);
const channels = ['phone', 'chat', 'email'] as const;
const agents = Array.from({ length: 60 }, (_, i) => {
  const skills = channels.filter(() => rng.chance(0.55));
  return {
    agent_id: `agent-${String(i + 1).padStart(2, '0')}`,
    name: `Agent ${i + 1}`,
    contracted_hours_per_week: [40, 40, 37.5, 32, 30, 24, 20][rng.int(0, 6)],
    skills: skills.length ? skills : [channels[i % 3]],
    unavailable_weekdays: [1, 2, 3, 4, 5, 6, 7].filter(() => rng.chance(0.1)),
    unavailable_dates: [],
  };
});
const put = await svc.call('/v1/staffing/agents', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agents }) });
if (put.status !== 200) throw new Error(`PUT agents ${put.status}: ${await put.text()}`);

let missed = false;
for (const [label, params] of [
  ['defaults', ''],
  ['min_agents=4', '&min_agents=4'],
] as const) {
  for (const run of ['cold', 'warm'] as const) {
    const q = `/v1/staffing/roster?weeks=4&channel=phone,chat,email&time_limit_seconds=5${params}${run === 'warm' ? '&hourly_rate=31' : ''}`;
    const t = performance.now();
    const res = await svc.call(q);
    const text = await res.text();
    const ms = performance.now() - t;
    if (res.status !== 200) throw new Error(`${q}: ${res.status} ${text.slice(0, 300)}`);
    const r = JSON.parse(text);
    const s = r.shift_plan.solver;
    const ok = ms <= TARGET_MS;
    missed ||= !ok;
    console.log(
      `${label}, ${run}: ${(ms / 1000).toFixed(2)} s wall — shift plan ${s.problems} MIPs (≤ ${s.max_columns} columns × ${s.max_rows} rows, ${s.integer_columns} integer columns), ${s.proven_optimal} proven optimal, max gap ${(s.max_mip_gap * 100).toFixed(3)} %, ${s.solve_seconds.toFixed(2)} s solving; ` +
        `roster ${r.solver.problems} MIPs (≤ ${r.solver.max_columns} columns × ${r.solver.max_rows} rows), ${r.solver.proven_optimal} proven optimal, max gap ${(r.solver.max_mip_gap * 100).toFixed(3)} %, ${r.solver.solve_seconds.toFixed(2)} s solving; ` +
        `${r.totals.planned_shifts} shifts planned, ${r.totals.assigned_shifts} assigned, ${r.totals.unfilled_shifts} unfilled — ${ok ? 'met' : 'MISSED'} (target ${TARGET_MS / 1000} s)`,
    );
  }
}
console.log(missed ? 'MISSED: a 4-week roster took longer than 10 s' : 'met: every 4-week roster within 10 s');
await svc.stop();
