/**
 * The service on the `large` sample, shared by the benchmarks that need it: the database lives in
 * $BENCH_DIR (default /tmp/invoice-pulse-bench-large), is loaded on first use (several minutes)
 * and reused by later runs. Also the percentile the benchmarks report.
 */
import fs from 'node:fs';
import { loadConfig } from '../../service/config.ts';
import { loadSampleIfEmpty } from '../../service/sample-loader.ts';
import { openContext, startService } from '../../service/server.ts';

export async function startLargeSetService() {
  const dataDir = process.env.BENCH_DIR ?? '/tmp/invoice-pulse-bench-large';
  fs.mkdirSync(dataDir, { recursive: true });
  const t0 = performance.now();
  const ctx = await openContext(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SAMPLE_DATA: 'large' }));
  await loadSampleIfEmpty(ctx, (l) => console.log(l));
  const svc = await startService(ctx);
  const [counts] = await ctx.db.withConnection(async (c) =>
    (
      await c.runAndReadAll(
        `SELECT count(*)::BIGINT AS events, count(DISTINCT customer_id)::BIGINT AS customers, count(*) FILTER (WHERE type = 'contact')::BIGINT AS contacts,
                strftime(max(occurred_at), '%Y-%m-%d') AS last FROM events`,
      )
    ).getRowObjectsJson(),
  );
  console.log(
    `database ready in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${Number(counts.events).toLocaleString('en')} events, ` +
      `${Number(counts.customers).toLocaleString('en')} customers, ${Number(counts.contacts).toLocaleString('en')} contacts, last ${counts.last}`,
  );
  return { ctx, svc, lastEventDate: String(counts.last) };
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
}
