/**
 * The state of a download a page starts from the service (the audience CSV, the staffing plan
 * CSV): busy while it runs, then a line saying what arrived or why it failed, so both buttons
 * disable and report alike.
 */
export class DownloadState {
  busy = $state(false);
  message = $state('');

  /** Runs `download` (it resolves to the bytes received); `done` words the success. */
  async run(download: () => Promise<number>, done: (bytes: number) => string): Promise<void> {
    this.busy = true;
    this.message = '';
    try {
      this.message = done(await download());
    } catch (e) {
      this.message = `Export failed: ${(e as Error).message}`;
    } finally {
      this.busy = false;
    }
  }
}
