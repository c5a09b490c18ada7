// Clean-up that must happen however the process ends: temporary folders, child processes, the
// output lock, half-written files. The CLI runs the hooks on exit and on SIGINT/SIGTERM/SIGHUP;
// library callers get the same through `finally` blocks in the API.
const hooks = new Set<() => void>();

/** Register `fn` (synchronous) to run at exit; returns the function that unregisters it. */
export function addExitHook(fn: () => void): () => void {
  hooks.add(fn);
  return () => hooks.delete(fn);
}

/** Run every registered hook once, newest first; a failing hook does not stop the others. */
export function runExitHooks(): void {
  const list = [...hooks].reverse();
  hooks.clear();
  for (const fn of list) {
    try {
      fn();
    } catch {
      // best effort: the process is ending
    }
  }
}
