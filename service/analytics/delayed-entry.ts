/**
 * Whether anyone entered late. Only then do the fits get entry times: otherwise they take the plain
 * right-censored path, as R does for Surv(time, event). With entry times, a row whose exit is not
 * after its entry has no time at risk (R refuses Surv(0, 0, ·)), so the callers drop such rows.
 */
export function delayedEntry(entry: ArrayLike<number>): boolean {
  for (let i = 0; i < entry.length; i++) if (entry[i] > 0) return true;
  return false;
}
