/**
 * One run at a time of a background job that must see every trigger: a trigger while it runs
 * asks for one more pass when the current one ends, never a second run beside it. The webhook
 * delivery and the lake follower both work this way; the facts upkeep has its own (it bounds the
 * passes and reports to waiters).
 */
export interface RunnerHooks {
  /** After the passes, when none failed. */
  done?: () => void | Promise<void>;
  /** A pass (or `done`) threw: the run ends here, and the next trigger starts a new one. */
  failed: (error: unknown) => void;
}

export class CoalescingRunner {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly hooks: RunnerHooks,
  ) {}

  get busy(): boolean {
    return this.running !== null;
  }

  /** Starts a run, or asks the running one for another pass. */
  trigger(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again);
        await this.hooks.done?.();
      } catch (error) {
        this.hooks.failed(error);
      } finally {
        this.running = null;
      }
    })();
  }

  /** Settles when no run is going on. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}
