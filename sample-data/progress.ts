/**
 * Progress for long runs on stderr: a bar with percentage and events per second, drawn only on a
 * terminal and only once the run has taken more than a second (short runs stay quiet), and
 * throttled so that drawing never costs generation time. Off a terminal (CI, pipes) only the
 * final summary line is printed.
 */
export class Progress {
  private readonly t0 = performance.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, total: number): void {
    if (!this.stream.isTTY) return;
    const now = performance.now();
    if (now - this.t0 < 1000 || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.drawn = true;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const width = 28;
    const full = Math.round(frac * width);
    const rate = done / ((now - this.t0) / 1000);
    this.stream.write(
      `\r${this.label} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${fmt(done)} events  ${fmt(rate)}/s `,
    );
  }

  /** Clears the bar and prints one summary line. */
  finish(summary: string): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.stream.write(`${summary} in ${this.seconds().toFixed(1)} s\n`);
  }

  seconds(): number {
    return (performance.now() - this.t0) / 1000;
  }
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(Math.round(n));
}
