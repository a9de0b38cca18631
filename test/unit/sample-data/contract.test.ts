import { describe, expect, it } from 'vitest';
import { generateNdjsonChunks } from '../../../sample-data/index.ts';
import { AUTOMATIC, EVENT_TYPE_NAMES, MANUAL, linesOf, violations } from './contract-checker.ts';

const END = '2026-10-31T23:59:59Z';
const FEE_CAP: Record<string, number> = { SEK: 60, NOK: 35, DKK: 100, EUR: 5 };

describe('sample-data event contract (docs/event-contract.md)', () => {
  const text = [...generateNdjsonChunks({ size: 1500, seed: 5 })].join('');
  const lines = linesOf(text);
  const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);

  it('every line (dirt off) satisfies the contract', () => {
    const now = Date.parse(END);
    const bad: string[] = [];
    for (const l of lines) {
      const v = violations(l, now);
      if (v.length) bad.push(`${v.join(',')}: ${l}`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('has unique event ids, second-precision UTC stamps in time order, none after the end', () => {
    const ids = new Set(events.map((e) => e.event_id));
    expect(ids.size).toBe(events.length);
    let prev = '';
    for (const e of events) {
      const at = e.occurred_at as string;
      expect(at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(at >= prev).toBe(true);
      prev = at;
    }
    expect(prev <= END).toBe(true);
    expect(events.every((e) => /^C\d{7}$/.test(e.customer_id as string))).toBe(true);
  });

  it('uses every event type and only payment methods the default map knows', () => {
    const types = new Set(events.map((e) => e.type));
    expect([...types].sort()).toEqual([...EVENT_TYPE_NAMES].sort());
    const known = new Set([...AUTOMATIC, ...MANUAL]);
    for (const e of events) if ('method' in e) expect(known.has(e.method as string)).toBe(true);
  });

  it('follows the domain rules it claims', () => {
    const currency = new Map<string, string>();
    for (const e of events) if (e.type === 'invoice_issued') currency.set(e.invoice_id as string, e.currency as string);
    for (const e of events) {
      if (e.type === 'fee_charged') {
        expect(e.fee_type).toBe('reminder');
        expect(e.amount).toBe(FEE_CAP[currency.get(e.invoice_id as string)!]);
      }
      if (e.type === 'invoice_issued') {
        const days = (Date.parse(e.due_date as string) - Date.parse((e.occurred_at as string).slice(0, 10))) / 86_400_000;
        expect(days).toBeGreaterThanOrEqual(14);
        expect(days).toBeLessThanOrEqual(20);
      }
      if (e.type === 'offer_shown' || e.type === 'offer_accepted') {
        expect(['direct_debit', 'soft_reminder', 'fee_waiver', 'e_invoice', 'right_size_plan', 'loyalty']).toContain(e.offer_id);
      }
    }
    // Backdated tenure: customers present at window start carry history from before it.
    expect(events.some((e) => e.type === 'subscription_started' && (e.occurred_at as string) < '2022-11-01')).toBe(true);
    // Contacts follow office hours: most between 06:00 and 17:00 UTC (08–18 local).
    const contacts = events.filter((e) => e.type === 'contact');
    const office = contacts.filter((e) => {
      const h = Number((e.occurred_at as string).slice(11, 13));
      return h >= 5 && h < 17;
    });
    expect(office.length / contacts.length).toBeGreaterThan(0.7);
  });
});
