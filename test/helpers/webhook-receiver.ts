/**
 * A real HTTP receiver on loopback for the alert webhook tests: records every request with its
 * raw body and headers, answers with the statuses a test scripts (e.g. 500, 500, then 200), and
 * verifies the signature the way a customer's receiver would (HMAC-SHA256 of the raw body,
 * timestamp inside the signed body and equal to its header, not older than five minutes).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  at: number;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
  answered: number;
  signatureValid: boolean;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Statuses for the next requests, in order; afterwards `fallback`. */
  script: number[];
  fallback: number;
  close(): Promise<void>;
}

export function verifySignature(secret: string, raw: string, headers: http.IncomingHttpHeaders): boolean {
  const given = String(headers['x-invoicepulse-signature'] ?? '');
  const expected = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
  if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return false;
  const ts = Number(headers['x-invoicepulse-timestamp']);
  const body = JSON.parse(raw) as { sent_at?: number };
  return body.sent_at === ts && Math.abs(Date.now() / 1000 - ts) < 300;
}

/** `answerAfterMs` holds every answer that long after the request is recorded (a slow receiver). */
export async function startReceiver(secret: string, script: number[] = [], fallback = 200, port = 0, answerAfterMs = 0): Promise<Receiver> {
  const state = { script: [...script], fallback };
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const status = receiver.script.length ? receiver.script.shift()! : receiver.fallback;
      received.push({ at: Date.now(), headers: req.headers, raw, body: JSON.parse(raw), answered: status, signatureValid: verifySignature(secret, raw, req.headers) });
      const answer = () => res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
      if (answerAfterMs > 0) setTimeout(answer, answerAfterMs);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  const receiver: Receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    script: state.script,
    fallback: state.fallback,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  return receiver;
}
