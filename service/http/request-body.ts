/**
 * The request body as a stream of byte chunks, never one string: decompressed when sent with
 * `Content-Encoding: gzip`, and cut off with 413 as soon as either the bytes on the wire or the
 * decompressed bytes pass the configured limit (a small gzip bomb must not fill the memory).
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BodyParseError, BodyTooLargeError } from '../events/body-errors.ts';
import { ApiError } from './errors.ts';

async function* limited(source: AsyncIterable<Uint8Array>, limit: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > limit) throw new BodyTooLargeError(limit);
    yield chunk;
  }
}

async function* gunzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const inflater = createGunzip();
  const input = Readable.from(source);
  input.on('error', (e) => inflater.destroy(e));
  input.pipe(inflater);
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw error;
    throw new BodyParseError(`the gzip body is corrupt or truncated: ${(error as Error).message}`, { byte: inflater.bytesWritten });
  } finally {
    input.destroy();
  }
}

export function requestBody(request: Request, limit: number): AsyncIterable<Uint8Array> {
  const length = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(length) && length > limit) throw new BodyTooLargeError(limit);
  if (!request.body) return (async function* () {})();
  const wire = limited(request.body as unknown as AsyncIterable<Uint8Array>, limit);
  const encoding = (request.headers.get('content-encoding') ?? 'identity').toLowerCase().trim();
  if (encoding === 'identity' || encoding === '') return wire;
  if (encoding === 'gzip' || encoding === 'x-gzip') return limited(gunzip(wire), limit);
  throw new ApiError(415, 'unsupported_encoding', `Content-Encoding ${encoding} is not supported; use gzip or none`);
}
