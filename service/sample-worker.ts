/**
 * Worker thread of the sample loader: runs the generator and posts its NDJSON in ~64 MB batches,
 * so generating the next batch overlaps ingesting the previous one on another core. It waits for
 * an acknowledgement after each batch, which bounds the memory to about two batches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { generateNdjsonChunks, type SampleOptions } from '../sample-data/index.ts';

const BATCH_BYTES = 64 * 1024 * 1024;
const port = parentPort!;
let acks = 0;
let waiting: (() => void) | null = null;
port.on('message', () => {
  acks++;
  waiting?.();
});
const acknowledged = (n: number) => (acks >= n ? Promise.resolve() : new Promise<void>((r) => (waiting = r)));

let batch: string[] = [];
let bytes = 0;
let sent = 0;
const send = async () => {
  // At most one batch ahead of the ingester.
  await acknowledged(sent - 1);
  const buffer = Buffer.from(batch.join(''));
  port.postMessage(buffer, [buffer.buffer as ArrayBuffer]);
  sent++;
  batch = [];
  bytes = 0;
};
for (const chunk of generateNdjsonChunks(workerData as SampleOptions)) {
  batch.push(chunk);
  bytes += chunk.length;
  if (bytes >= BATCH_BYTES) await send();
}
if (batch.length) await send();
await acknowledged(sent);
port.postMessage(null);
