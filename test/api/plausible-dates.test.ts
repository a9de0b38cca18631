/**
 * Plausible dates (issue 17, item 5): occurred_at within [DATE_MIN, now + 1 day] with an offset
 * within ±18:00, date fields within [DATE_MIN, now + DATE_MAX_DAYS_AHEAD], and event_id a string.
 */
import { describe, expect, it } from 'vitest';
import { serviceForTests } from '../helpers/service-hooks.ts';

const svc = serviceForTests({ DATE_MIN: '2000-01-01', DATE_MAX_DAYS_AHEAD: '400' });

const contact = (id: string, extra: Record<string, unknown> = {}) => ({ event_id: id, type: 'contact', occurred_at: '2025-05-01T08:00:00Z', customer_id: 'd1', channel: 'phone', topic: 'fee', ...extra });
const invoice = (id: string, due: string) => ({ event_id: id, type: 'invoice_issued', occurred_at: '2025-05-01T08:00:00Z', customer_id: 'd1', invoice_id: 'I1', amount: 10, due_date: due });

describe('plausible dates and an event_id that is a string', () => {
  it('rejects each implausible row with its code and keeps the plausible ones', async () => {
    const rows = [
      contact('ok-1', { occurred_at: '2025-05-01T08:00:00+18:00' }),
      contact('old-1', { occurred_at: '0001-01-01T00:00:00Z' }),
      contact('old-2', { occurred_at: '1999-12-31T23:59:59Z' }),
      contact('off-1', { occurred_at: '2025-05-01T08:00:00+99:99' }),
      contact('off-2', { occurred_at: '2025-05-01T08:00:00+18:01' }),
      contact('off-3', { occurred_at: '2025-05-01T08:00:00-05:60' }),
      { ...contact('x'), event_id: ['a', 'b'] },
      { ...contact('x'), event_id: { id: 1 } },
      invoice('due-ok', '2025-06-01'),
      invoice('due-old', '0001-01-01'),
      invoice('due-far', '9999-12-31'),
    ];
    const res = await svc.call('/v1/events', { method: 'POST', body: rows.map((r) => JSON.stringify(r)).join('\n'), headers: { 'content-type': 'application/x-ndjson' } });
    expect(res.status).toBe(200);
    const r = await res.json();
    expect(r.accepted).toBe(2);
    expect(r.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [2, 'implausible_date'],
      [3, 'implausible_date'],
      [4, 'invalid_timestamp'],
      [5, 'invalid_timestamp'],
      [6, 'invalid_timestamp'],
      [7, 'invalid_value'],
      [8, 'invalid_value'],
      [10, 'implausible_date'],
      [11, 'implausible_date'],
    ]);
    expect(r.errors[7].message).toMatch(/^due_date must be between 2000-01-01 and \d{4}-\d{2}-\d{2}; got 0001-01-01$/);
    expect(r.errors[5].message).toMatch(/event_id must be a string/);
  });
});
