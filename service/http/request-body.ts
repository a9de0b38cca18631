/**
 * The request body as a stream of byte chunks, never one string: decompressed when sent with
 * `Content-Encoding: gzip`, and cut off with 413 as soon as either the bytes on the wire or the
 * decompressed bytes pass the configured limit, or the decompressed bytes pass MAX_GZIP_RATIO
 * times the compressed ones (a 1 MB gzip of zeros inflates a thousand-fold; ordinary event
 * bodies inflate 5–20 times). The stream ends with ClientGoneError as soon as the client closes
 * the connection, so no reader keeps working for a client that has left.
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BodyInflationError, BodyParseError, BodyTooLargeError, ClientGoneError, isBodyError } from '../events/body-errors.ts';
import { bodyLimits } from '../events/readers/body-limits.ts';
import { ApiError } from './errors.ts';

/** Decompressed bytes allowed before the ratio applies: small bodies may inflate freely. */
const RATIO_SLACK_BYTES = 4 * 1024 * 1024;

interface BodyLimits {
  maxBytes: number;
  maxGzipRatio: number;
  signal?: AbortSignal;
}

async function* limited(source: AsyncIterable<Uint8Array>, limit: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    if (signal?.aborted) throw new ClientGoneError();
    total += chunk.length;
    if (total > limit) throw new BodyTooLargeError(limit);
    yield chunk;
  }
}

async function* gunzip(source: AsyncIterable<Uint8Array>, limits: BodyLimits): AsyncGenerator<Uint8Array> {
  const inflater = createGunzip();
  const input = Readable.from(source);
  input.on('error', (e) => inflater.destroy(e));
  input.pipe(inflater);
  let out = 0;
  try {
    for await (const chunk of inflater) {
      if (limits.signal?.aborted) throw new ClientGoneError();
      out += (chunk as Buffer).length;
      if (out > RATIO_SLACK_BYTES && out > limits.maxGzipRatio * inflater.bytesWritten) throw new BodyInflationError(limits.maxGzipRatio);
      yield chunk as Buffer;
    }
  } catch (error) {
    if (isBodyError(error)) throw error;
    throw new BodyParseError('the gzip body is corrupt or truncated', { byte: inflater.bytesWritten });
  } finally {
    input.destroy();
    inflater.destroy();
  }
}

export function requestBody(request: Request, maxBytes: number): AsyncIterable<Uint8Array> {
  const limits: BodyLimits = { maxBytes, maxGzipRatio: bodyLimits.maxGzipRatio, signal: request.signal };
  const length = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(length) && length > limits.maxBytes) throw new BodyTooLargeError(limits.maxBytes);
  if (!request.body) return (async function* () {})();
  const wire = limited(request.body as unknown as AsyncIterable<Uint8Array>, limits.maxBytes, limits.signal);
  const encoding = (request.headers.get('content-encoding') ?? 'identity').toLowerCase().trim();
  if (encoding === 'identity' || encoding === '') return wire;
  if (encoding === 'gzip' || encoding === 'x-gzip') return limited(gunzip(wire, limits), limits.maxBytes, limits.signal);
  throw new ApiError(415, 'unsupported_encoding', `Content-Encoding ${encoding} is not supported; use gzip or none`);
}
