/**
 * Errors a reader raises when a request body cannot be read at all (as opposed to a bad row,
 * which is staged and rejected on its own). The HTTP layer maps them to 400/413.
 */
export class BodyParseError extends Error {
  constructor(
    message: string,
    readonly position: { byte?: number; line?: number; row?: number },
  ) {
    super(message);
  }
}

export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`request body exceeds the limit of ${limitBytes} bytes`);
  }
}

/** A body as byte chunks: a request stream, or (for in-process loads) a list of buffers. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
