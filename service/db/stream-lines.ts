/**
 * Streams a query whose one column is a finished CSV line (formatted and formula-escaped by DuckDB,
 * as queries/offers/audience_csv.sql does) to an HTTP client: header first, then one result chunk
 * (~2 048 rows) at a time, only as fast as the client reads, so a long list never sits in memory as
 * one string and a client that goes away stops the query and frees its connection. The offers
 * audience export and the drill-down list both stream through it.
 */
import type { Database } from './database.ts';

class ClientGone extends Error {}

export function streamLines(db: Database, text: string, params: Record<string, unknown>, header: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let wake: (() => void) | null = null;
  let cancelled = false;
  const demand = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(header + '\r\n'));
        db
          .withConnection(async (c) => {
            const result = await c.stream(text, params as never);
            for (;;) {
              while (!cancelled && (controller.desiredSize ?? 1) <= 0) await new Promise<void>((resolve) => (wake = resolve));
              // Throwing makes withConnection discard the connection mid-result instead of pooling it.
              if (cancelled) throw new ClientGone();
              const chunk = await result.fetchChunk();
              if (!chunk || chunk.rowCount === 0) break;
              const lines = chunk.getColumnValues(0) as string[];
              controller.enqueue(encoder.encode(lines.join('\r\n') + '\r\n'));
            }
            controller.close();
          })
          .catch((error) => {
            if (!(error instanceof ClientGone)) controller.error(error);
          });
      },
      pull: demand,
      cancel() {
        cancelled = true;
        demand();
      },
    },
    { highWaterMark: 4 },
  );
}
