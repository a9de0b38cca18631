/**
 * Real producers resend, reorder and occasionally send garbage, and ingestion must prove it copes.
 * This stage sits between the time-ordered stream and the output and, from its own seeded stream,
 * (1) resends some lines verbatim later in the file, (2) holds some events back so they arrive
 * after younger ones, and (3) inserts invalid rows, each broken in exactly one way so that the
 * rejection code ingestion should give is unambiguous. Every act is counted for the manifest, and
 * with dirt off the stage is a pass-through.
 */
import type { LineBuffer } from './line-buffer.ts';
import { Rng } from './rng.ts';

export const REJECTION_CODES = [
  'invalid_json', 'unknown_type', 'missing_field', 'invalid_value', 'invalid_timestamp', 'future_timestamp',
  'out_of_range', 'too_long',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

/** Required type-specific fields of docs/event-contract.md (the envelope fields are required for every type). */
export const REQUIRED_FIELDS: Record<string, readonly string[]> = {
  customer_updated: [],
  subscription_started: ['plan', 'monthly_price'],
  plan_changed: ['plan', 'monthly_price'],
  subscription_cancelled: [],
  invoice_issued: ['invoice_id', 'amount', 'due_date'],
  invoice_viewed: ['invoice_id'],
  payment_received: ['invoice_id', 'amount', 'method'],
  payment_failed: ['method'],
  reminder_sent: ['invoice_id', 'kind'],
  fee_charged: ['invoice_id', 'fee_type', 'amount'],
  collection_started: ['invoice_id'],
  payment_method_changed: ['method'],
  payment_unmatched: ['amount'],
  contact: ['channel', 'topic'],
  offer_shown: ['offer_id'],
  offer_accepted: ['offer_id'],
  survey_response: ['score'],
  usage_reported: ['period_start', 'used', 'included'],
};

export interface DirtStats {
  duplicates: number;
  out_of_order: number;
  invalid_rows: Record<RejectionCode, number>;
  invalid_rows_total: number;
  /** Which way each invalid row was broken, "code/variant" → count. */
  invalid_row_variants: Record<string, number>;
}

const P_DUPLICATE = 0.002;
const P_HOLD = 0.0015;
const P_INVALID = 0.0005;

type Row = Record<string, unknown>;
type Breaker = (row: Row, rng: Rng) => { text: string; variant: string } | null;

const str = (row: Row) => JSON.stringify(row);

/** One breaker per code; null means "this event type cannot carry that fault, wait for another". */
const BREAKERS: Record<RejectionCode, Breaker> = {
  invalid_json: (row) => {
    const s = str(row);
    return { text: s.slice(0, Math.floor(s.length * 0.6)), variant: 'truncated' };
  },
  unknown_type: (row, rng) => {
    row.type = rng.pick(['invoice_paid', 'customer_deleted', 'payment_reversed', 'subscription_paused']);
    return { text: str(row), variant: String(row.type) };
  },
  missing_field: (row, rng) => {
    const req = REQUIRED_FIELDS[String(row.type)];
    if (!req || req.length === 0) return null;
    const f = rng.pick(req);
    delete row[f];
    return { text: str(row), variant: `${row.type}.${f}` };
  },
  invalid_value: (row) => {
    switch (row.type) {
      case 'invoice_issued':
        if (String(row.invoice_id).endsWith('0')) {
          row.due_date = `${String(row.due_date).slice(8, 10)}/${String(row.due_date).slice(5, 7)}/${String(row.due_date).slice(0, 4)}`;
          return { text: str(row), variant: 'invoice_issued.due_date' };
        }
        row.channel = 'fax';
        return { text: str(row), variant: 'invoice_issued.channel' };
      case 'reminder_sent':
        row.kind = 'medium';
        return { text: str(row), variant: 'reminder_sent.kind' };
      case 'contact':
        row.topic = 'weather';
        return { text: str(row), variant: 'contact.topic' };
      case 'subscription_cancelled':
        row.reason = 'angry';
        return { text: str(row), variant: 'subscription_cancelled.reason' };
      case 'usage_reported':
        row.period_start = 'last month';
        return { text: str(row), variant: 'usage_reported.period_start' };
      case 'offer_shown':
        row.placement = 'billboard';
        return { text: str(row), variant: 'offer_shown.placement' };
      default:
        return null;
    }
  },
  invalid_timestamp: (row, rng) => {
    const ts = String(row.occurred_at);
    const k = rng.int(0, 2);
    row.occurred_at = k === 0 ? ts.slice(0, 19) : k === 1 ? ts.slice(0, 10) + ' ' + ts.slice(11, 19) : `${ts.slice(8, 10)}/${ts.slice(5, 7)}/${ts.slice(0, 4)} ${ts.slice(11, 16)}`;
    return { text: str(row), variant: ['no_offset', 'space_no_offset', 'local_format'][k] };
  },
  future_timestamp: (row) => {
    let rest = String(row.occurred_at).slice(4);
    if (rest.startsWith('-02-29')) rest = '-02-28' + rest.slice(6);
    row.occurred_at = '2099' + rest;
    return { text: str(row), variant: 'year_2099' };
  },
  out_of_range: (row, rng) => {
    switch (row.type) {
      case 'invoice_issued':
      case 'payment_received':
      case 'fee_charged':
        if (row.type === 'payment_received' && rng.chance(0.25)) {
          // JSON has no NaN; an overflowing literal is what a broken producer actually sends.
          return { text: str(row).replace(/"amount":[^,}]+/, '"amount":1e999'), variant: 'amount_not_finite' };
        }
        row.amount = -Number(row.amount);
        return { text: str(row), variant: `${row.type}.negative_amount` };
      case 'survey_response':
        row.score = 11;
        return { text: str(row), variant: 'survey_response.score_11' };
      case 'usage_reported':
        row.used = -Number(row.used) - 1;
        return { text: str(row), variant: 'usage_reported.negative_used' };
      default:
        return null;
    }
  },
  too_long: (row) => {
    row.event_id = String(row.event_id) + '-' + 'x'.repeat(140);
    return { text: str(row), variant: 'event_id_141_plus' };
  },
};

export class Dirt {
  readonly stats: DirtStats = {
    duplicates: 0,
    out_of_order: 0,
    invalid_rows: Object.fromEntries(REJECTION_CODES.map((c) => [c, 0])) as Record<RejectionCode, number>,
    invalid_rows_total: 0,
    invalid_row_variants: {},
  };
  private readonly rng: Rng;
  private readonly later = new Map<number, { line: string; t: number; held: boolean }[]>();
  private fed = 0;
  private maxT = -Infinity;
  private readonly pending: RejectionCode[] = [];
  private nextCode = 0;
  private bad = 0;

  constructor(
    private readonly seed: number,
    private readonly enabled: boolean,
    private readonly out: LineBuffer,
  ) {
    this.rng = new Rng(seed, 9);
  }

  /** One line (bytes [start, end) of src) of the time-ordered stream, occurring at t. */
  feed(src: Buffer, start: number, end: number, t: number): void {
    if (!this.enabled) {
      this.out.write(src, start, end);
      return;
    }
    const rng = this.rng;
    this.fed++;
    const r = rng.next();
    if (r < P_HOLD) {
      this.schedule(this.fed + rng.int(100, 30_000), src.toString('latin1', start, end), t, true);
    } else {
      if (t > this.maxT) this.maxT = t;
      this.out.write(src, start, end);
      if (r < P_HOLD + P_DUPLICATE) this.schedule(this.fed + rng.int(50, 20_000), src.toString('latin1', start, end), t, false);
    }
    if (rng.next() < P_INVALID) this.pending.push(REJECTION_CODES[this.nextCode++ % REJECTION_CODES.length]);
    if (this.pending.length) this.tryInvalid(src.toString('latin1', start, end));
    const due = this.later.get(this.fed);
    if (due !== undefined) {
      this.later.delete(this.fed);
      for (const d of due) this.release(d.line, d.t, d.held);
    }
  }

  finish(): void {
    if (!this.enabled) return;
    const keys = [...this.later.keys()].sort((a, b) => a - b);
    for (const k of keys) for (const d of this.later.get(k)!) this.release(d.line, d.t, d.held);
    this.later.clear();
  }

  private schedule(at: number, line: string, t: number, held: boolean): void {
    let list = this.later.get(at);
    if (list === undefined) {
      list = [];
      this.later.set(at, list);
    }
    list.push({ line, t, held });
  }

  private release(line: string, t: number, held: boolean): void {
    if (held) {
      // Counted only when it really arrives after a younger event.
      if (t < this.maxT) this.stats.out_of_order++;
      else this.maxT = t;
    } else {
      this.stats.duplicates++;
    }
    this.out.writeText(line);
  }

  private tryInvalid(line: string): void {
    const code = this.pending[0];
    const row = JSON.parse(line) as Row;
    row.event_id = `e${this.seed}-bad-${(this.bad + 1).toString(36)}`;
    const broken = BREAKERS[code](row, this.rng);
    if (broken === null) return;
    this.pending.shift();
    this.bad++;
    this.stats.invalid_rows[code]++;
    this.stats.invalid_rows_total++;
    const key = `${code}/${broken.variant}`;
    this.stats.invalid_row_variants[key] = (this.stats.invalid_row_variants[key] ?? 0) + 1;
    this.out.writeText(broken.text);
  }
}
