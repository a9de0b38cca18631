/**
 * A real Spark standalone cluster on loopback for the tests and the benchmark: one master and N
 * workers started from the installed pyspark's own `bin/spark-class` (the same Master and Worker
 * classes `sbin/start-*.sh` run), each in its own process group so a test can SIGKILL one worker
 * together with its executor, and all of them are killed on stop() and at process exit, so no JVM
 * outlives the test. Workers get one core each, so a job on two workers really is spread on two
 * executors.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function sparkHome(): string {
  const python = process.env.PYSPARK_PYTHON ?? 'python3';
  return execFileSync(python, ['-c', 'import os, pyspark; print(os.path.dirname(pyspark.__file__))'], { encoding: 'utf8' }).trim();
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Worker {
  process: ChildProcess;
  webUiPort: number;
  alive: boolean;
}

export interface MasterState {
  workers: Array<{ id: string; webuiaddress: string; state: string; coresused: number }>;
  activeapps: Array<{ id: string; name: string; cores: number }>;
}

const live = new Set<ChildProcess>();
const killGroup = (p: ChildProcess) => {
  try {
    if (p.pid) process.kill(-p.pid, 'SIGKILL');
  } catch {
    // already gone
  }
};
process.on('exit', () => {
  for (const p of live) killGroup(p);
});
// A bench or test stopped by a signal runs no 'exit' handlers by default: kill the JVMs first.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const p of live) killGroup(p);
    process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  });
}

export class SparkCluster {
  readonly workers: Worker[] = [];
  private master: ChildProcess | null = null;
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invoice-pulse-spark-'));
  readonly home = sparkHome();
  masterPort = 0;
  masterUiPort = 0;

  get url(): string {
    return `spark://127.0.0.1:${this.masterPort}`;
  }

  private env(): NodeJS.ProcessEnv {
    return { ...process.env, SPARK_HOME: this.home, SPARK_LOCAL_IP: '127.0.0.1', SPARK_LOG_DIR: this.dir, SPARK_NO_DAEMONIZE: '1', SPARK_DAEMON_MEMORY: '384m' };
  }

  private launch(args: string[], log: string): ChildProcess {
    const out = fs.openSync(path.join(this.dir, log), 'a');
    const child = spawn(path.join(this.home, 'bin', 'spark-class'), args, { env: this.env(), detached: true, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    live.add(child);
    child.on('exit', () => live.delete(child));
    return child;
  }

  async state(): Promise<MasterState> {
    const r = await fetch(`http://127.0.0.1:${this.masterUiPort}/json/`);
    return (await r.json()) as MasterState;
  }

  async start(workers = 2, workerMemory = '1g'): Promise<this> {
    this.masterPort = await freePort();
    this.masterUiPort = await freePort();
    this.master = this.launch(['org.apache.spark.deploy.master.Master', '--host', '127.0.0.1', '--port', String(this.masterPort), '--webui-port', String(this.masterUiPort)], 'master.log');
    await this.until(async () => (await this.state().catch(() => null)) !== null, 'the master to answer');
    for (let i = 0; i < workers; i++) await this.addWorker(workerMemory);
    await this.until(async () => (await this.state()).workers.filter((w) => w.state === 'ALIVE').length >= workers, `${workers} workers to register`);
    return this;
  }

  async addWorker(memory = '1g'): Promise<Worker> {
    const webUiPort = await freePort();
    const workDir = path.join(this.dir, `worker-${this.workers.length}`);
    fs.mkdirSync(workDir, { recursive: true });
    const child = this.launch(['org.apache.spark.deploy.worker.Worker', '--host', '127.0.0.1', '--cores', '1', '--memory', memory, '--webui-port', String(webUiPort), '--work-dir', workDir, this.url], `worker-${this.workers.length}.log`);
    const worker = { process: child, webUiPort, alive: true };
    child.on('exit', () => (worker.alive = false));
    this.workers.push(worker);
    return worker;
  }

  /** SIGKILL a worker and its executor (the whole process group): a machine lost mid-job. */
  kill(worker: Worker): void {
    killGroup(worker.process);
    worker.alive = false;
  }

  private async until(check: () => Promise<boolean>, what: string, ms = 120_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`spark cluster: timed out waiting for ${what} (logs in ${this.dir})`);
  }

  async stop(): Promise<void> {
    const all = [...this.workers.map((w) => w.process), ...(this.master ? [this.master] : [])];
    await Promise.all(
      all.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once('exit', () => resolve());
            killGroup(p);
          }),
      ),
    );
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
