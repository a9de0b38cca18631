/**
 * The service's handle on the long-lived PySpark driver (spark/driver.py): one child process, one
 * SparkSession, one application on the cluster for the life of the service, so the JVM start-up
 * (10–20 s here) and the executor allocation are paid once and not per base. Requests are JSON lines
 * on its stdin, answers JSON lines on its stdout (the driver moves every other output to stderr,
 * which we forward to our log with a prefix). Started on first use: a service whose lake only
 * follows ingestion never starts a JVM. A driver that dies is restarted by the next request; the
 * requests in flight fail with SparkEngineError and their callers (the base cache) retry later.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { DomainError } from '../domain-error.ts';

export class SparkEngineError extends DomainError {
  constructor(message: string, details?: unknown) {
    super('analysis_engine_failed', message, details);
  }
}

export interface DriverOptions {
  master: string;
  /** Extra Spark settings, `key=value` pairs (SPARK_CONF). */
  conf?: string;
  python?: string;
  /** Extra environment of the driver (tests set SPARK_HOME, ports). */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

export const DRIVER_SCRIPT = path.resolve(import.meta.dirname, '../../spark/driver.py');

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class SparkDriver {
  private child: ChildProcessWithoutNullStreams | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly options: DriverOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const log = this.options.log ?? ((line: string) => console.error(line));
    const child = spawn(this.options.python ?? process.env.PYSPARK_PYTHON ?? 'python3', [DRIVER_SCRIPT], {
      env: {
        ...process.env,
        // A local master keeps the driver, its UI and its block manager on loopback.
        ...(this.options.master.startsWith('local') ? { SPARK_LOCAL_IP: '127.0.0.1' } : {}),
        ...this.options.env,
        SPARK_MASTER: this.options.master,
        SPARK_CONF: this.options.conf ?? '',
        PYTHONUNBUFFERED: '1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      let message: { id: number; ok: boolean; result?: unknown; error?: string };
      try {
        message = JSON.parse(line);
      } catch {
        return log(`spark driver: ${line}`);
      }
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new SparkEngineError('the Spark job failed', { cause: message.error }));
    });
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      if (/^ERROR driver:|\bERROR\b/.test(line) || process.env.SPARK_DRIVER_LOG === 'all') log(`spark driver: ${line}`);
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      for (const [id, waiter] of this.pending) {
        this.pending.delete(id);
        waiter.reject(new SparkEngineError('the Spark driver exited', { code, signal }));
      }
    });
    child.stdin.on('error', () => undefined);
    return child;
  }

  request<T>(op: string, body: Record<string, unknown> = {}): Promise<T> {
    const child = this.start();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.stdin.write(JSON.stringify({ id, op, ...body }) + '\n');
    });
  }

  /** Stops the SparkSession (the application leaves the cluster) and the process. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.request('stop').catch(() => undefined);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}
