/**
 * Command line for the generator (`npm run sample -- …`). It writes a sample directory, or with
 * --to streams the same events to a running server, and reports on stderr what it did and how long
 * it took; the summary line goes to stderr too so stdout stays free for the POST totals (JSON).
 *
 *   npm run sample -- --size small|default|large|xlarge|N --seed 42 --out DIR [--dirt] [--mid-life] [--gzip]
 *                     [--months 24] [--end 2026-10-31T23:59:59Z]
 *   npm run sample -- --size default --seed 42 --to http://localhost:8080 [--token T] [--dirt]
 */
import { parseArgs } from 'node:util';
import { customersForSize } from './generate.ts';
import { postSample } from './post.ts';
import { Progress } from './progress.ts';
import type { SampleSize } from './types.ts';
import { writeSample } from './write.ts';

const USAGE = `usage: npm run sample -- --size <small|default|large|xlarge|N> [--seed 42] (--out <dir> | --to <base url> [--token t]) [--dirt] [--mid-life] [--gzip] [--months 24] [--end 2026-10-31T23:59:59Z] [--batch 250000]`;

function parseSize(s: string): SampleSize {
  if (s === 'small' || s === 'default' || s === 'large' || s === 'xlarge') return s;
  if (/^\d+$/.test(s)) return Number(s);
  throw new Error(`--size must be small, default, large or a number of customers, got "${s}"`);
}

function intArg(name: string, s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  if (!/^-?\d+$/.test(s)) throw new Error(`--${name} must be an integer, got "${s}"`);
  return Number(s);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'small' },
      seed: { type: 'string', default: '42' },
      out: { type: 'string' },
      to: { type: 'string' },
      token: { type: 'string' },
      batch: { type: 'string' },
      dirt: { type: 'boolean', default: false },
      'mid-life': { type: 'boolean', default: false },
      gzip: { type: 'boolean', default: false },
      months: { type: 'string' },
      end: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const size = parseSize(values.size!);
  const opts = {
    size,
    seed: intArg('seed', values.seed)!,
    months: intArg('months', values.months),
    end: values.end,
    dirt: values.dirt,
    midLife: values['mid-life'],
  };
  const customers = customersForSize(size);
  const progress = new Progress(`${customers} customers`);
  const onProgress = (done: number, total: number) => progress.update(done, total);

  if (values.to) {
    const r = await postSample({ ...opts, baseUrl: values.to, token: values.token, batchLines: intArg('batch', values.batch), onProgress });
    progress.finish(`posted ${r.lines} lines in ${r.batches} batches to ${values.to}: accepted ${r.accepted}, duplicates ${r.duplicates}, rejected ${r.rejected}`);
    console.log(JSON.stringify({ accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected }));
    return;
  }
  if (!values.out) throw new Error('give --out <dir> (or --to <base url>)');
  const { manifest } = await writeSample({ ...opts, outDir: values.out, gzip: values.gzip, onProgress });
  const mb = ((manifest.bytes ?? 0) / 1e6).toFixed(1);
  const secs = progress.seconds();
  progress.finish(
    `wrote ${manifest.events} events (${manifest.lines} lines, ${mb} MB ${manifest.file}) for ${customers} customers to ${values.out}, ${Math.round(manifest.events / secs)} events/s,`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`sample: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
  process.exitCode = 1;
});
