/**
 * Alerts: the rule store, the evaluation after data changes, the fired alerts and their hand-off
 * to the webhook worker (delivery.ts). Evaluation is debounced (ALERT_EVAL_DEBOUNCE_MS after the
 * derived facts last caught up, at most 12 × that after the first change), so a burst of ingests
 * is judged once, on settled facts. Alerts follow state changes: a rule that starts firing fires
 * one alert, a firing rule that stops fires one `resolved` alert, and while it keeps firing
 * nothing new is sent. The alert id is a hash of rule × period × state, so whatever re-evaluates
 * (a restart, a racing evaluation, an edited rule) can store and deliver that alert once only.
 *
 * These tables are not analysed data, so writes run in their own short transactions on a pooled
 * connection instead of `db.transaction`, which would bump the data version and retire every
 * cached analysis base.
 *
 * The lists of alerts and rules are cached under a version of their own, bumped after every write
 * to these tables commits (here and in delivery.ts). Every dashboard page asks for the firing count
 * (the Alerts badge), and under a trickle those three small statements took 30–130 ms of the
 * service's time, queued behind the analyses and the ingest on a small machine; between writes the
 * answer cannot change.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Engine } from '../analytics/runner.ts';
import type { Database } from '../db/database.ts';
import { Mutex } from '../db/mutex.ts';
import { VersionedCache } from '../db/versioned-cache.ts';
import { AlertRule, CreateRule, type Alert, type AlertList, type RuleDefinition, type RuleState, type UpdateRule, type WebhookBody } from './contracts.ts';
import { WebhookDelivery, type DeliveryOptions } from './delivery.ts';
import { RuleNameTakenError, RuleNotFoundError } from './errors.ts';
import { evaluateRule, type Evaluation } from './measure.ts';

const iso = (col: string) => `strftime(${col}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
const nameKey = (s: string) => s.trim().toLowerCase();


export function alertId(ruleId: string, period: { start: string; end: string }, state: 'firing' | 'resolved'): string {
  return createHash('sha256').update(`${ruleId}|${period.start}|${period.end}|${state}`).digest('hex').slice(0, 32);
}

function definitionOf(r: CreateRule | (RuleDefinition & { name: string; enabled: boolean })): RuleDefinition {
  return { kind: r.kind, segment: r.segment, window_days: r.window_days, threshold: r.kind === 'rate_above' ? r.threshold : null, condition: r.condition, direction: r.direction, min_customers: r.min_customers };
}

export interface AlertOptions extends DeliveryOptions {
  debounceMs: number;
}

export class AlertService {
  readonly delivery: WebhookDelivery;
  private readonly mutex = new Mutex();
  private timer: NodeJS.Timeout | null = null;
  private firstChange = 0;
  private chain: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private stopped = false;
  /** Bumped after every committed write to the alert tables; keys `lists`. */
  private version = 0;
  private readonly lists = new VersionedCache(() => this.version);
  private readonly changed = () => void this.version++;

  constructor(
    private readonly engine: Engine,
    private readonly options: AlertOptions,
  ) {
    this.delivery = new WebhookDelivery(engine.db, options, this.changed);
  }

  private get db(): Database {
    return this.engine.db;
  }

  /**
   * At shutdown: no evaluation is scheduled any more, the one running finishes, and so does the
   * webhook attempt in flight (bounded by its timeout), so its attempt is recorded: a delivery the
   * receiver got is never counted one short at the next start.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.chain;
    await this.delivery.stop();
  }

  /** The facts caught up with new data: evaluate every rule once things are quiet. */
  dataChanged(): void {
    if (this.stopped) return;
    const now = Date.now();
    if (!this.timer) this.firstChange = now;
    else clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.options.debounceMs, this.firstChange + 12 * this.options.debounceMs - now));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.inFlight++;
      // One evaluation after another: a second burst waits for the first to finish.
      this.chain = this.chain
        .then(() => this.evaluateAll())
        .catch((error) => {
          if (!/database is closed/.test(String((error as Error)?.message))) console.error('alert evaluation failed (it runs again after the next data change):', String((error as Error)?.message ?? error));
        })
        .finally(() => void this.inFlight--);
    }, wait);
    this.timer.unref();
  }

  /** Settles when no evaluation is scheduled or running (tests). */
  async idle(): Promise<void> {
    while (this.timer || this.inFlight > 0) await new Promise((r) => setTimeout(r, 20));
    await this.delivery.idle();
  }

  listRules(): Promise<AlertRule[]> {
    return this.lists.memo('rules', '', () => this.readRules(), 1);
  }

  /** A write to the alert tables: its own transaction, and the cached lists retired once it committed (or failed). */
  private write<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.db.ownTransaction(fn).finally(this.changed);
  }

  private async readRules(): Promise<AlertRule[]> {
    const rows = await this.db.withConnection(
      async (c) =>
        (
          await c.runAndReadAll(
            `SELECT r.rule_id, r.name, r.definition::VARCHAR AS definition, r.enabled, ${iso('r.created_at')} AS created_at, ${iso('r.updated_at')} AS updated_at,
                    s.state, ${iso('s.evaluated_at')} AS evaluated_at, strftime(s.period_start, '%Y-%m-%d') AS period_start, strftime(s.period_end, '%Y-%m-%d') AS period_end,
                    s.measurement::VARCHAR AS measurement
             FROM alert_rules r LEFT JOIN alert_rule_state s USING (rule_id) ORDER BY r.name_key, r.rule_id`,
          )
        ).getRowObjects(),
    );
    return rows.map((r) => {
      const def = JSON.parse(String(r.definition)) as RuleDefinition & { message?: never };
      const m = r.measurement === null ? null : (JSON.parse(String(r.measurement)) as { measurement: Evaluation['measurement']; message: string });
      return AlertRule.parse({
        id: String(r.rule_id),
        name: String(r.name),
        ...def,
        enabled: Boolean(r.enabled),
        created_at: String(r.created_at),
        updated_at: String(r.updated_at),
        last_evaluation:
          r.state === null
            ? null
            : { state: String(r.state), evaluated_at: String(r.evaluated_at), period: r.period_start === null ? null : { start: String(r.period_start), end: String(r.period_end) }, measurement: m?.measurement ?? null, message: m?.message ?? '' },
      });
    });
  }

  async getRule(id: string): Promise<AlertRule> {
    const rule = (await this.listRules()).find((r) => r.id === id);
    if (!rule) throw new RuleNotFoundError(id);
    return rule;
  }

  async createRule(input: CreateRule): Promise<AlertRule> {
    const id = randomUUID().replaceAll('-', '').slice(0, 16);
    await this.mutex.run(() =>
      this.write(async (c) => {
        await this.assertNameFree(c, input.name, null);
        await c.run(`INSERT INTO alert_rules VALUES ($id, $name, $key, $def::JSON, $enabled, now(), now())`, { id, name: input.name.trim(), key: nameKey(input.name), def: JSON.stringify(definitionOf(input)), enabled: input.enabled } as never);
      }),
    );
    await this.evaluateOne(id);
    return this.getRule(id);
  }

  async updateRule(id: string, patch: UpdateRule): Promise<AlertRule> {
    const current = await this.getRule(id);
    // The merged rule is validated as a whole, like a new one (a kind change needs its threshold).
    const merged = CreateRule.parse({
      name: patch.name ?? current.name,
      kind: patch.kind ?? current.kind,
      segment: patch.segment ?? current.segment,
      window_days: patch.window_days ?? current.window_days,
      threshold: patch.threshold !== undefined ? patch.threshold : current.threshold,
      condition: patch.condition ?? current.condition,
      direction: patch.direction ?? current.direction,
      min_customers: patch.min_customers ?? current.min_customers,
      enabled: patch.enabled ?? current.enabled,
    });
    await this.mutex.run(() =>
      this.write(async (c) => {
        await this.assertNameFree(c, merged.name, id);
        const created = current.created_at;
        await c.run(`DELETE FROM alert_rules WHERE rule_id = $id`, { id });
        await c.run(`INSERT INTO alert_rules VALUES ($id, $name, $key, $def::JSON, $enabled, $created::TIMESTAMPTZ, now())`, {
          id,
          name: merged.name.trim(),
          key: nameKey(merged.name),
          def: JSON.stringify(definitionOf(merged)),
          enabled: merged.enabled,
          created,
        } as never);
      }),
    );
    await this.evaluateOne(id);
    return this.getRule(id);
  }

  async deleteRule(id: string): Promise<void> {
    await this.mutex.run(() =>
      this.write(async (c) => {
        const gone = (await c.runAndReadAll(`DELETE FROM alert_rules WHERE rule_id = $id RETURNING rule_id`, { id })).getRowObjects();
        if (!gone.length) throw new RuleNotFoundError(id);
        await c.run(`DELETE FROM alert_rule_state WHERE rule_id = $id`, { id });
        // Fired alerts stay (they are history, and may still be on their way to the webhook).
      }),
    );
  }

  private async assertNameFree(c: DuckDBConnection, name: string, exceptId: string | null): Promise<void> {
    const clash = (await c.runAndReadAll(`SELECT rule_id FROM alert_rules WHERE name_key = $k AND rule_id IS DISTINCT FROM $id`, { k: nameKey(name), id: exceptId } as never)).getRowObjects()[0];
    if (clash) throw new RuleNameTakenError(name.trim());
  }

  /** Evaluate every enabled rule now (after data changes; `POST /v1/alerts/evaluate`). */
  async evaluateAll(): Promise<void> {
    for (const rule of await this.listRules()) if (rule.enabled) await this.evaluateOne(rule.id);
  }

  private async evaluateOne(id: string): Promise<void> {
    const rule = (await this.listRules()).find((r) => r.id === id);
    if (!rule) return;
    if (!rule.enabled) return;
    const evaluation = await evaluateRule(this.engine, definitionOf(rule));
    const fired = await this.mutex.run(() => this.record(rule, evaluation));
    if (fired) this.delivery.kick();
  }

  /** Store the evaluation; fire an alert on a change into or out of `firing`. True when one was stored. */
  private async record(rule: AlertRule, e: Evaluation): Promise<boolean> {
    return this.write(async (c) => {
      const prev = (await c.runAndReadAll(`SELECT state, strftime(period_start, '%Y-%m-%d') AS ps, strftime(period_end, '%Y-%m-%d') AS pe FROM alert_rule_state WHERE rule_id = $id`, { id: rule.id })).getRowObjects()[0];
      const before = (prev?.state as RuleState | undefined) ?? null;
      await c.run(`DELETE FROM alert_rule_state WHERE rule_id = $id`, { id: rule.id });
      await c.run(`INSERT INTO alert_rule_state VALUES ($id, $state, $ps::DATE, $pe::DATE, $m::JSON, now())`, {
        id: rule.id,
        state: e.state,
        ps: e.period?.start ?? null,
        pe: e.period?.end ?? null,
        m: JSON.stringify({ measurement: e.measurement, message: e.message }),
      } as never);
      let state: 'firing' | 'resolved' | null = null;
      if (e.state === 'firing' && before !== 'firing') state = 'firing';
      // Only a judged "ok" resolves: too little data says nothing about the alert.
      if (e.state === 'ok' && before === 'firing') state = 'resolved';
      if (!state || !e.period || !e.measurement) return false;
      const id = alertId(rule.id, e.period, state);
      const payload: Omit<WebhookBody, 'sent_at' | 'attempt'> = {
        type: 'invoice_pulse.alert',
        alert_id: id,
        state,
        rule: { id: rule.id, name: rule.name, ...definitionOf(rule) },
        period: e.period,
        message: state === 'resolved' ? `Resolved: ${e.message}` : e.message,
        measurement: e.measurement,
        fired_at: new Date().toISOString(),
      };
      const stored = (await c.runAndReadAll(`INSERT OR IGNORE INTO alerts VALUES ($id, $rule, $state, $ps::DATE, $pe::DATE, $payload::JSON, now()) RETURNING alert_id`, {
        id,
        rule: rule.id,
        state,
        ps: e.period.start,
        pe: e.period.end,
        payload: JSON.stringify(payload),
      } as never)).getRowObjects();
      if (!stored.length) return false;
      if (this.delivery.configured) {
        await c.run(`INSERT OR IGNORE INTO alert_deliveries VALUES ($id, $url, 'pending', 0, now(), NULL, NULL, NULL)`, { id, url: this.options.url } as never);
      }
      return true;
    });
  }

  listAlerts(q: { state?: 'firing' | 'resolved'; rule_id?: string; limit: number; offset: number }): Promise<AlertList> {
    return this.lists.memo('alerts', JSON.stringify([q.state ?? null, q.rule_id ?? null, q.limit, q.offset]), () => this.readAlerts(q), 16);
  }

  private async readAlerts(q: { state?: 'firing' | 'resolved'; rule_id?: string; limit: number; offset: number }): Promise<AlertList> {
    const where = `WHERE ($state IS NULL OR a.state = $state) AND ($rule IS NULL OR a.rule_id = $rule)`;
    const params = { state: q.state ?? null, rule: q.rule_id ?? null };
    return this.db.withConnection(async (c) => {
      const total = Number((await c.runAndReadAll(`SELECT count(*) AS n FROM alerts a ${where}`, params as never)).getRowObjects()[0].n);
      const firing = Number((await c.runAndReadAll(`SELECT count(*) AS n FROM alert_rule_state s JOIN alert_rules r USING (rule_id) WHERE s.state = 'firing' AND r.enabled`)).getRowObjects()[0].n);
      const rows = (
        await c.runAndReadAll(
          `SELECT a.alert_id, a.rule_id, a.state, a.payload::VARCHAR AS payload, ${iso('a.fired_at')} AS fired_at,
                  d.status, d.attempts, ${iso('d.next_attempt_at')} AS next_attempt_at, d.last_status, d.last_error, ${iso('d.delivered_at')} AS delivered_at
           FROM alerts a LEFT JOIN alert_deliveries d USING (alert_id) ${where}
           ORDER BY a.fired_at DESC, a.alert_id LIMIT $limit OFFSET $offset`,
          { ...params, limit: q.limit, offset: q.offset } as never,
        )
      ).getRowObjects();
      const alerts: Alert[] = rows.map((r) => {
        const p = JSON.parse(String(r.payload)) as WebhookBody;
        return {
          id: String(r.alert_id),
          rule_id: String(r.rule_id),
          rule_name: p.rule.name,
          state: p.state,
          period: p.period,
          message: p.message,
          measurement: p.measurement,
          fired_at: String(r.fired_at),
          delivery: {
            status: r.status === null ? 'not_configured' : (String(r.status) as Alert['delivery']['status']),
            attempts: Number(r.attempts ?? 0),
            next_attempt_at: r.next_attempt_at === null ? null : String(r.next_attempt_at),
            last_status: r.last_status === null ? null : Number(r.last_status),
            last_error: r.last_error === null ? null : String(r.last_error),
            delivered_at: r.delivered_at === null ? null : String(r.delivered_at),
          },
        };
      });
      return { firing, total, alerts };
    });
  }
}
