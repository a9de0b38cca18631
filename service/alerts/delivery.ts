/**
 * Webhook delivery of fired alerts. Every alert gets one delivery row in the same transaction
 * that stores it (`alert_deliveries`), so what must still be sent survives a restart: at start-up
 * the worker picks up every pending row and resumes its schedule. One worker loop sends at a time
 * (no two copies of one delivery are ever in flight). A 2xx answer delivers; anything else, a
 * timeout or a refused connection is retried with exponential backoff (base × 2^(attempt − 1),
 * at most one hour) up to ALERT_WEBHOOK_MAX_ATTEMPTS, then the delivery is `failed` and listed so.
 *
 * Each request is signed: `X-InvoicePulse-Signature: sha256=<hex HMAC-SHA256 of the raw body with
 * ALERT_WEBHOOK_SECRET>`. The body carries `sent_at` (Unix seconds), repeated in
 * `X-InvoicePulse-Timestamp`: because it is inside the signed bytes a replayer cannot refresh it,
 * so a receiver that rejects timestamps older than a few minutes is safe from replays.
 * `Idempotency-Key` is the alert id (one per rule × period × state): a retry after a lost answer
 * repeats the key, so a receiver keeps at most one copy.
 */
import { createHmac } from 'node:crypto';
import { CoalescingRunner } from '../coalescing-runner.ts';
import type { Database } from '../db/database.ts';
import type { WebhookBody } from './contracts.ts';

export interface DeliveryOptions {
  url: string | null;
  secret: string | null;
  maxAttempts: number;
  backoffMs: number;
  timeoutMs: number;
}

export const SIGNATURE_HEADER = 'x-invoicepulse-signature';
export const TIMESTAMP_HEADER = 'x-invoicepulse-timestamp';

export function sign(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

const MAX_BACKOFF_MS = 3_600_000;

export class WebhookDelivery {
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private stopped = false;
  private readonly runner = new CoalescingRunner(() => this.sendDue(), {
    done: () => this.scheduleNext(),
    failed: (error) => {
      if (!/database is closed/.test(String((error as Error)?.message))) console.error('alert webhook delivery failed (it will retry):', String((error as Error)?.message ?? error));
      this.wakeAt(Date.now() + this.options.backoffMs);
    },
  });

  constructor(
    private readonly db: Database,
    readonly options: DeliveryOptions,
    /** Told after each recorded attempt (the alert list shows delivery status and caches it). */
    private readonly changed: () => void = () => undefined,
  ) {}

  get configured(): boolean {
    return this.options.url !== null && this.options.secret !== null;
  }

  backoff(attempts: number): number {
    return Math.min(MAX_BACKOFF_MS, this.options.backoffMs * 2 ** Math.max(0, attempts - 1));
  }

  /** Send whatever is due now, then sleep until the next retry is due. */
  kick(): void {
    if (this.configured && !this.stopped) this.runner.trigger();
  }

  /** At shutdown: no new attempt starts, and the one in flight is recorded before this settles. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.runner.idle();
  }

  /** Settles when the worker is idle (tests; shutting down cleanly). */
  async idle(): Promise<void> {
    await this.runner.idle();
  }

  private wakeAt(at: number): void {
    if (this.stopped || (this.timer && at >= this.timerAt)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.kick();
    }, Math.max(0, at - Date.now()));
    this.timer.unref();
  }

  private async scheduleNext(): Promise<void> {
    const row = await this.db.withConnection(
      async (c) => (await c.runAndReadAll(`SELECT epoch_ms(min(next_attempt_at)) AS at FROM alert_deliveries WHERE status = 'pending'`)).getRowObjects()[0],
    );
    if (row?.at !== null && row?.at !== undefined) this.wakeAt(Number(row.at));
  }

  private async sendDue(): Promise<void> {
    const due = await this.db.withConnection(
      async (c) =>
        (
          await c.runAndReadAll(
            `SELECT d.alert_id, d.attempts, d.url, a.payload::VARCHAR AS payload FROM alert_deliveries d JOIN alerts a USING (alert_id)
             WHERE d.status = 'pending' AND d.next_attempt_at <= now() ORDER BY d.next_attempt_at, d.alert_id LIMIT 50`,
          )
        ).getRowObjects(),
    );
    for (const row of due) if (!this.stopped) await this.attempt(String(row.alert_id), Number(row.attempts) + 1, String(row.url), JSON.parse(String(row.payload)));
  }

  private async attempt(alertId: string, attempt: number, url: string, payload: Omit<WebhookBody, 'sent_at' | 'attempt'>): Promise<void> {
    const sentAt = Math.floor(Date.now() / 1000);
    const raw = JSON.stringify({ ...payload, sent_at: sentAt, attempt } satisfies WebhookBody);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'invoice-pulse-alerts/1',
          'idempotency-key': alertId,
          [TIMESTAMP_HEADER]: String(sentAt),
          [SIGNATURE_HEADER]: sign(this.options.secret!, raw),
          'x-invoicepulse-attempt': String(attempt),
        },
        body: raw,
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'manual',
      });
      status = res.status;
      await res.body?.cancel().catch(() => undefined);
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (e) {
      // The cause only (refused, timed out): never the body or the secret.
      error = String((e as Error & { cause?: Error })?.cause?.message ?? (e as Error)?.message ?? e).slice(0, 200);
    }
    const delivered = error === null;
    const exhausted = !delivered && attempt >= this.options.maxAttempts;
    await this.db
      .withConnection((c) =>
      c.run(
        `UPDATE alert_deliveries SET attempts = $attempt, last_status = $status, last_error = $error,
           status = $next_status,
           next_attempt_at = CASE WHEN $next_status = 'pending' THEN now() + to_milliseconds(CAST($delay AS BIGINT)) ELSE NULL END,
           delivered_at = CASE WHEN $next_status = 'delivered' THEN now() ELSE NULL END
         WHERE alert_id = $id`,
        { id: alertId, attempt, status, error, next_status: delivered ? 'delivered' : exhausted ? 'failed' : 'pending', delay: this.backoff(attempt) } as never,
      ),
    )
      .finally(this.changed);
  }
}
