/**
 * Global activity counters: API requests in flight, charts in view waiting for their frame, and
 * charts out of view not drawn yet (echart.ts draws those when they near the viewport or the page
 * is idle). The layout turns them into `data-ready` (what is in view is interactive) and
 * `data-complete` (every chart drawn) on <main>, which tests and the benchmark wait for.
 */
class Activity {
  requests = $state(0);
  charts = $state(0);
  deferred = $state(0);
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
  chartDeferred() {
    this.deferred++;
  }
  deferredDone() {
    this.deferred = Math.max(0, this.deferred - 1);
  }
  get idle() {
    return this.requests === 0 && this.charts === 0;
  }
  get complete() {
    return this.idle && this.deferred === 0;
  }
}

export const activity = new Activity();
