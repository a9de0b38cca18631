/**
 * The cause health reports for a dead database. DuckDB can invalidate the database on a write
 * whose own error says only "No space left on device"; every statement after it says just
 * "invalidated because of a previous fatal error". The operator must still be told the disk is full.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../../service/db/database.ts';

let db: Database | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

describe('Database.noticeFailure', () => {
  it('keeps the disk-full error seen before a generic invalidation as the cause', async () => {
    db = await Database.open({ path: ':memory:' });
    const told: string[] = [];
    db.onFatal.push((c) => told.push(c));
    db.noticeFailure(new Error('IO Error: Could not write file "x.wal": No space left on device'));
    expect(db.fatal).toBeNull();
    db.noticeFailure(new Error('FATAL Error: Failed: database has been invalidated because of a previous fatal error. The database must be restarted prior to being used again.'));
    expect(db.fatal).toMatch(/invalidated.*the storage error before it: IO Error: Could not write file "x.wal": No space left on device/);
    expect(told).toEqual([db.fatal]);
    // Only the first fatal counts.
    db.noticeFailure(new Error('FATAL Error: something else'));
    expect(told).toHaveLength(1);
  });

  it('reports a fatal error that names its cause as it is, and ignores errors that are not storage failures', async () => {
    db = await Database.open({ path: ':memory:' });
    db.noticeFailure(new Error('Binder Error: column x not found'));
    expect(db.fatal).toBeNull();
    db.noticeFailure(new Error('FATAL Error: Failed to create checkpoint: No space left on device\nmore'));
    expect(db.fatal).toBe('FATAL Error: Failed to create checkpoint: No space left on device');
  });
});
