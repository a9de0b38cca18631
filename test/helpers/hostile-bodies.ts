/**
 * The corpus of hostile request bodies from the hardening review (issue 17), built byte for byte
 * so each stays a regression test: Arrow streams whose metadata lies about offsets and lengths,
 * endless lines in every text format, and gzip bombs.
 */
import { Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { gzipSync } from 'node:zlib';

const int32 = (n: number) => Buffer.from(new Int32Array([n]).buffer);

/** A valid stream of one Utf8 column whose value offsets are [0, 3, 8] (cells "abc", "defgh"). */
function baseArrow(): Buffer {
  const table = new Table({ event_id: vectorFromArray(['abc', 'defgh'], new Utf8()), type: vectorFromArray(['contact', 'contact'], new Utf8()) });
  return Buffer.from(tableToIPC(table, 'stream'));
}

function patchOffsets(replace: [number, number, number]): Buffer {
  const body = baseArrow();
  const at = body.indexOf(Buffer.concat([int32(0), int32(3), int32(8)]));
  if (at < 0) throw new Error('offsets not found');
  Buffer.concat(replace.map(int32)).copy(body, at);
  return body;
}

/** The end offset points 2 GiB past a body of a few hundred bytes (DuckDB tried to reserve 16 GiB). */
export const arrowEndOffsetPastBody = () => patchOffsets([0, 3, 0x7ffffff0]);
/** A middle offset of 256 MiB, then back down: not increasing (the reader built a 256 MB string). */
export const arrowOffsetsNotIncreasing = () => patchOffsets([0, 0x0ffffff0, 8]);
/** A negative first offset. */
export const arrowNegativeOffset = () => patchOffsets([-5, 3, 8]);

/** Every row count in the metadata (the batch's and its field nodes') set to 2^31 − 1. */
export function arrowForgedRowCount(): Buffer {
  const body = baseArrow();
  const two = Buffer.from(new BigInt64Array([2n]).buffer);
  const huge = Buffer.from(new BigInt64Array([0x7fffffffn]).buffer);
  let patched = 0;
  for (let at = body.indexOf(two); at !== -1; at = body.indexOf(two, at + 8)) {
    huge.copy(body, at);
    patched++;
  }
  if (!patched) throw new Error('row count not found');
  return body;
}

/** A valid stream cut in the middle of its record batch. */
export const arrowTruncated = () => baseArrow().subarray(0, Math.floor(baseArrow().length * 0.7));

/** One line of `bytes` bytes with no newline: NUL bytes, as in the gzip that pinned a core. */
export const endlessLine = (bytes: number, fill = 0) => Buffer.alloc(bytes, fill);

/** A CSV body whose second record is one quoted cell of `bytes` bytes. */
export const csvWithHugeRecord = (bytes: number) =>
  Buffer.concat([Buffer.from('event_id,type,occurred_at,customer_id,reference\nbig1,payment_unmatched,2025-05-01T08:00:00Z,"C-huge-1","'), Buffer.alloc(bytes, 0x61), Buffer.from('"\n')]);

/** A JSON array whose only element is a string of `bytes` bytes. */
export const jsonArrayWithHugeElement = (bytes: number) => Buffer.concat([Buffer.from('[{"customer_id":"C-huge-2","junk":"'), Buffer.alloc(bytes, 0x62), Buffer.from('"}]')]);

/** `bytes` zeros, gzipped (about a thousand-fold ratio). */
export const gzipBomb = (bytes: number) => gzipSync(Buffer.alloc(bytes));
