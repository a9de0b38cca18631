/**
 * Global activity counters: API requests in flight and charts waiting for their first frame.
 * The layout turns them into `data-ready` on <main>, which tests and the benchmark wait for.
 */
class Activity {
  requests = $state(0);
  charts = $state(0);
  /** Bumped when the access token changes, so every resource asks again with it. */
  authEpoch = $state(0);
  begin() {
    this.requests++;
  }
  end() {
    this.requests = Math.max(0, this.requests - 1);
  }
  chartPending() {
    this.charts++;
  }
  chartDone() {
    this.charts = Math.max(0, this.charts - 1);
  }
  get idle() {
    return this.requests === 0 && this.charts === 0;
  }
}

export const activity = new Activity();
