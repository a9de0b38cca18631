/**
 * The state of a form's writes (save a view, create or pause an alert rule): busy while one runs,
 * the API's problem when it failed, a notice of what it did when it succeeded. SavedViews and the
 * alerts page both write this way, so their buttons disable and their messages read alike.
 */
import { toProblem, type ApiProblem } from './api.ts';

export class Action {
  busy = $state(false);
  problem = $state<ApiProblem | null>(null);
  notice = $state('');

  /** Runs `write`; on success shows `done` and resolves true, on failure keeps the problem and resolves false. */
  async run(write: () => Promise<unknown>, done: string): Promise<boolean> {
    this.busy = true;
    this.problem = null;
    try {
      await write();
      this.notice = done;
      return true;
    } catch (e) {
      this.problem = toProblem(e);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
