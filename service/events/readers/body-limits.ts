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
