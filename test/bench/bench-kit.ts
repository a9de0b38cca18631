/**
 * What the ingestion benchmarks share: CPU and peak-RSS readings of a process from /proc, and a
 * cheap keep-alive HTTP client. The client shares the machine's two cores with the service, so it
 * must cost little: fetch (undici) spent about 1 CPU-s per million events where node:http spends
 * almost nothing.
 */
import fs from 'node:fs';
import http from 'node:http';

/** CPU seconds (user + system, all threads) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** The process's peak resident set (VmHWM), in bytes. */
export function peakRss(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

export const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 256 });

export interface Posted<T> {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: T;
}

/**
 * POST one body with node:http, written in one piece, over a keep-alive connection. A connection
 * the server closed while idle (its keep-alive timeout) fails with EPIPE or ECONNRESET on reuse:
 * sent once more on a new connection (the pool may hold more dead ones), which is safe for
 * ingestion (an event_id is stored once).
 */
export async function post<T = Record<string, unknown>>(url: string, body: Uint8Array, contentType: string, agent = keepAlive): Promise<Posted<T>> {
  try {
    return await postOnce<T>(url, body, contentType, agent);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPIPE' && code !== 'ECONNRESET') throw error;
    return postOnce<T>(url, body, contentType, new http.Agent({ keepAlive: false }));
  }
}

function postOnce<T>(url: string, body: Uint8Array, contentType: string, agent: http.Agent): Promise<Posted<T>> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': contentType, 'content-length': body.length } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json: (text ? JSON.parse(text) : null) as T });
        } catch (error) {
          reject(error);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

export interface Trickle {
  /** Events sent so far. */
  readonly sent: number;
  /** Acknowledgement latencies (ms) of the requests sent while `measuring` was on. */
  readonly acks: number[];
  measuring: boolean;
  /** Stops sending and waits for the request in flight. */
  stop(): Promise<void>;
}

/**
 * A producer posting as billing systems do all day: `rate` events/s on average, in NDJSON requests
 * of 1 to 20 events, one request at a time over keep-alive, each event dated now and of one of
 * `customers`. The live benchmarks run it beside their readers (issue "Analyses that stay fast
 * while data flows": 200 events/s). Each type carries its own fields only: a field outside a type's
 * contract goes to `extra`, which only the validation SQL writes (about 30 ms a request on a quiet
 * machine, far more while analyses keep DuckDB's threads busy), and would measure that path instead.
 */
export function startTrickle(eventsUrl: string, customers: string[], rate = 200): Trickle {
  const tag = `trickle-${Date.now().toString(36)}`;
  let stopped = false;
  let seq = 0;
  const state = { sent: 0, acks: [] as number[], measuring: false };
  const running = (async () => {
    const started = performance.now();
    while (!stopped) {
      const n = 1 + (seq % 20);
      const lines = [];
      for (let i = 0; i < n; i++) {
        const k = seq++;
        const base = { event_id: `${tag}-${k}`, occurred_at: new Date().toISOString(), customer_id: customers[k % customers.length] };
        lines.push(JSON.stringify(k % 3 ? { ...base, type: 'contact', channel: 'phone', topic: 'invoice' } : { ...base, type: 'payment_method_changed', method: k % 2 ? 'paper_giro' : 'autogiro' }));
      }
      const t0 = performance.now();
      await post(eventsUrl, Buffer.from(lines.join('\n') + '\n'), 'application/x-ndjson', keepAlive);
      if (state.measuring) state.acks.push(performance.now() - t0);
      state.sent += n;
      // `rate` events/s on average: wait until the schedule catches up with what was sent.
      const due = started + (state.sent / rate) * 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    }
  })();
  return {
    get sent() {
      return state.sent;
    },
    get acks() {
      return state.acks;
    },
    get measuring() {
      return state.measuring;
    },
    set measuring(on: boolean) {
      state.measuring = on;
    },
    async stop() {
      stopped = true;
      await running;
    },
  };
}
