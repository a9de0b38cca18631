/**
 * Which database errors mean the storage failed rather than the request: a full disk (the write
 * was refused, nothing of it is stored, the database still works) or a fatal error, after which
 * DuckDB refuses everything until the database is reopened (for example a checkpoint that could
 * not be written). The HTTP layer answers them with their own codes, health reports a fatal one,
 * and `npm start` exits non-zero on it so that a supervisor restarts the service, which then
 * replays the write-ahead log.
 */
export type StorageFailure = { kind: 'disk_full' | 'fatal'; cause: string };

export function storageFailure(error: unknown): StorageFailure | null {
  const message = error instanceof Error ? error.message : String(error);
  // DuckDB's first line names the cause; later lines repeat it.
  const cause = message.split('\n')[0].replace(/^Error: /, '').slice(0, 300);
  // A block whose checksum fails (a damaged file, read lazily after start-up) will fail every query that reads it.
  if (/FATAL Error|database has been invalidated|Corrupt database file/i.test(message)) return { kind: 'fatal', cause };
  if (/No space left on device|disk quota exceeded/i.test(message)) return { kind: 'disk_full', cause };
  return null;
}
