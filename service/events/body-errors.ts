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

/** A gzip body that inflates more than MAX_GZIP_RATIO times its compressed size (413). */
export class BodyInflationError extends Error {
  constructor(readonly maxRatio: number) {
    super(`the gzip body inflates more than ${maxRatio} times its compressed size (MAX_GZIP_RATIO)`);
  }
}

/** The client closed the connection before its body was read: the work stops there. */
export class ClientGoneError extends Error {
  constructor() {
    super('the client closed the connection');
  }
}

/** Errors about the body as a whole, which readers pass on unchanged. */
export const isBodyError = (e: unknown) =>
  e instanceof BodyParseError || e instanceof BodyTooLargeError || e instanceof BodyInflationError || e instanceof ClientGoneError;

/** A body as byte chunks: a request stream, or (for in-process loads) a list of buffers. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
