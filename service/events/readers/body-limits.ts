/**
 * The limits every body reader applies beyond the body size, set once at start-up from the
 * configuration (the ingest pipeline calls readers with a body and a staging table only, so the
 * limits live here rather than in their arguments): MAX_ROW_BYTES, the cap on one line, record or
 * array element, which is then rejected as `row_too_large` with a prefix of its text and its
 * length and is never held whole; and MAX_GZIP_RATIO, the most a gzip body may inflate.
 */

export const ROW_PREFIX_BYTES = 1024;

export const bodyLimits = { maxRowBytes: 1024 * 1024, maxGzipRatio: 200 };

export function setBodyLimits(limits: { maxRowBytes: number; maxGzipRatio: number }): void {
  Object.assign(bodyLimits, limits);
}

/** The rejection message of an oversized row (the length is kept here, the prefix as raw text). */
export function tooLargeMessage(what: string, bytes: number): string {
  return `${what} is ${bytes} bytes, over the limit of ${bodyLimits.maxRowBytes} (MAX_ROW_BYTES); its first ${ROW_PREFIX_BYTES} bytes are kept`;
}

/**
 * What a rejected row keeps of its raw text (issue 17): at most its first RAW_PREFIX_CHARS
 * characters, whatever the code, with its original length in bytes (`raw_bytes`), so rejected rows
 * stay small however long the junk. A `row_too_large` row arrives already cut to ROW_PREFIX_BYTES
 * by its reader, which never held it whole: its original length is the one its message states.
 * The bulk path applies the same rule in SQL (RAW_PREFIX_SQL / RAW_BYTES_SQL), the live path here.
 */
export const RAW_PREFIX_CHARS = 1024;
const TOO_LARGE_BYTES = / is (\d+) bytes, over the limit of /;

export function storedRaw(code: string, message: string, raw: string | null): { raw: string | null; bytes: number | null } {
  if (raw === null) return { raw: null, bytes: null };
  const stated = code === 'row_too_large' ? TOO_LARGE_BYTES.exec(message) : null;
  const bytes = stated ? Number(stated[1]) : Buffer.byteLength(raw, 'utf8');
  // Cut by code points, as DuckDB's left() does, so both paths keep the same prefix.
  const prefix = raw.length <= RAW_PREFIX_CHARS ? raw : Array.from(raw.slice(0, 2 * RAW_PREFIX_CHARS)).slice(0, RAW_PREFIX_CHARS).join('');
  return { raw: prefix, bytes };
}

export const RAW_PREFIX_SQL = (raw: string) => `left(${raw}, ${RAW_PREFIX_CHARS})`;
export const RAW_BYTES_SQL = (raw: string, code: string, message: string) =>
  `CASE WHEN ${raw} IS NULL THEN NULL WHEN ${code} = 'row_too_large' AND regexp_matches(${message}, ' is \\d+ bytes, over the limit of ') THEN regexp_extract(${message}, ' is (\\d+) bytes', 1)::BIGINT ELSE strlen(${raw}) END`;
