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
