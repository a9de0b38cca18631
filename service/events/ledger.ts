/**
 * The ledger: an append-only file beside the database (`<file>.ledger`) holding the id of every
 * batch the service acknowledged, written and fsynced after the batch's commit and before its
 * answer. DuckDB keeps recent commits only in its write-ahead log until a checkpoint; if that log
 * is lost or cut (a bad disk, a careless copy), the database opens "fine" without them. The
 * ledger is how the service notices: at start-up every id it lists must be in `ingest_batches`,
 * and if some are missing the service says so loudly and refuses writes until an operator decides
 * (INTEGRITY_ACCEPT_LOSS=true records the loss and resumes). A ledger that ever listed a batch
 * also means the file held data, so the sample data set is never loaded into it.
 *
 * A crash between the commit and the ledger write leaves a batch in the database that the ledger
 * lacks: harmless, since that batch was never acknowledged.
 */
import fs from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';

export interface LedgerCheck {
  /** Batches the ledger lists. */
  acknowledged: number;
  /** Acknowledged batches the database does not hold (lost), at most 100 of them, and their count. */
  missing: number[];
  missingCount: number;
}

export class Ledger {
  private tail: Promise<void> = Promise.resolve();

  private constructor(
    private fd: number | null,
    readonly path: string | null,
  ) {}

  /** The ledger of a database file, created empty when absent; none for an in-memory database. */
  static open(dbPath: string): Ledger {
    if (dbPath === ':memory:') return new Ledger(null, null);
    const path = `${dbPath}.ledger`;
    return new Ledger(fs.openSync(path, 'a'), path);
  }

  /** Whether any batch was ever acknowledged for this file. */
  everHeldData(): boolean {
    return this.path !== null && fs.statSync(this.path).size > 0;
  }

  /** Records acknowledged batches; resolves once the bytes are on disk. Appends are serialised. */
  append(batchIds: readonly number[]): Promise<void> {
    const fd = this.fd;
    if (fd === null || batchIds.length === 0) return Promise.resolve();
    const line = Buffer.from(batchIds.map((id) => `${id}\n`).join(''));
    const next = this.tail.then(
      () =>
        new Promise<void>((resolve, reject) =>
          fs.write(fd, line, (error) => (error ? reject(error) : fs.fdatasync(fd, (e) => (e ? reject(e) : resolve())))),
        ),
    );
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Compares the ledger with the batches the database holds. */
  async check(c: DuckDBConnection): Promise<LedgerCheck> {
    if (this.path === null) return { acknowledged: 0, missing: [], missingCount: 0 };
    // Lines starting with '#' are notes (an accepted loss), not batches.
    const listed = [...new Set(fs.readFileSync(this.path, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map(Number))];
    if (listed.length === 0) return { acknowledged: 0, missing: [], missingCount: 0 };
    const stored = new Set((await c.runAndReadAll(`SELECT batch_id FROM ingest_batches`)).getRowObjects().map((r) => Number(r.batch_id)));
    const missing = listed.filter((id) => !stored.has(id)).sort((a, b) => a - b);
    return { acknowledged: listed.length, missing: missing.slice(0, 100), missingCount: missing.length };
  }

  /** An operator accepted the loss: the ledger is rewritten to what the database holds. */
  async acceptLoss(c: DuckDBConnection): Promise<void> {
    if (this.path === null || this.fd === null) return;
    const ids = (await c.runAndReadAll(`SELECT batch_id FROM ingest_batches ORDER BY batch_id`)).getRowObjects().map((r) => Number(r.batch_id));
    // The note keeps the file non-empty: a file that ever held data never gets the sample.
    fs.writeFileSync(`${this.path}.tmp`, `# loss accepted at ${new Date().toISOString()}\n` + ids.map((id) => `${id}\n`).join(''));
    fs.renameSync(`${this.path}.tmp`, this.path);
    fs.closeSync(this.fd);
    this.fd = fs.openSync(this.path, 'a');
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
  }
}
