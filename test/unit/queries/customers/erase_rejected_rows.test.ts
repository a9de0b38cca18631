/**
 * queries/customers/erase_rejected_rows.sql: the rejected rows that go with a customer's erasure.
 * Six rejected rows written out below; the customer is C1, and C10 is another customer.
 */
import { describe, expect, it } from 'vitest';
import { useStore } from '../store.ts';

const store = useStore([]);
const RAW = [
  ['json', '{"event_id":"x1","customer_id":"C1","type":"contact"}'],
  ['truncated', '{"event_id":"x2","type":"contact","customer_id":"C1","channel":"pho'],
  ['csv', 'x3,contact,2025-01-01T00:00:00Z,"C1",phone'],
  ['other-json', '{"event_id":"x4","customer_id":"C10","type":"contact"}'],
  ['other-csv', 'x5,contact,2025-01-01T00:00:00Z,C10,phone'],
  ['no-raw', null],
] as const;

describe('customers/erase_rejected_rows', () => {
  it('deletes JSON rows by their id, any row holding it as a JSON string and CSV rows with a cell equal to it, never C10', async () => {
    const s = store();
    for (const [code, raw] of RAW) {
      await s.rows(`INSERT INTO rejected_rows VALUES (1, 1, TIMESTAMPTZ '2025-01-02 00:00:00+00', NULL, 'contact', $code, 'bad', $raw, octet_length($raw::BLOB))`, { code, raw });
    }
    await s.query('customers/erase_rejected_rows', { customer_id: 'C1', quoted_id: JSON.stringify('C1') });
    // The three rows of C1 are gone; C10's rows and the row without raw text stay.
    expect((await s.rows(`SELECT code FROM rejected_rows ORDER BY code`)).map((r) => r.code)).toEqual(['no-raw', 'other-csv', 'other-json']);
  });
});
