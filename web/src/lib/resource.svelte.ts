/**
 * A reactive GET: re-fetches whenever the endpoint or query computed by `source` changes (filters in
 * the URL, page parameters), aborts the stale request, and keeps the previous data while loading so
 * charts do not flash. Create it during component initialisation (it owns an $effect).
 */
import { untrack } from 'svelte';
import { activity } from './activity.svelte.ts';
import { apiGet, buildUrl, toProblem, type ApiProblem, type EndpointPath, type Endpoints, type Query } from './api.ts';

export class Resource<P extends EndpointPath> {
  data = $state.raw<Endpoints[P] | null>(null);
  error = $state.raw<ApiProblem | null>(null);
  loading = $state(true);
  /** The request (path + query) the current data answers. */
  url = $state('');

  constructor(source: () => { path: P; query?: Query } | null) {
    $effect(() => {
      void activity.authEpoch; // a new token: ask again
      const req = source();
      if (!req) {
        this.loading = false;
        return;
      }
      const key = buildUrl(req.path, req.query);
      const ctrl = new AbortController();
      // Only `source` is a dependency; the request bookkeeping below must not subscribe the effect.
      untrack(() => this.start(req.path, req.query, key, ctrl));
      return () => ctrl.abort();
    });
  }

  private start(path: P, query: Query, key: string, ctrl: AbortController) {
    this.loading = true;
    apiGet(path, query, ctrl.signal).then(
        (data) => {
          if (ctrl.signal.aborted) return;
          this.data = data;
          this.error = null;
          this.url = key;
          this.loading = false;
        },
        (e) => {
          if (ctrl.signal.aborted) return;
          this.error = toProblem(e);
          this.data = null;
          this.url = key;
          this.loading = false;
        },
      );
  }
}
