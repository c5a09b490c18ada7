// Libraries that talk on the console: pdf-lib prints dozens of English lines for an odd PDF
// ("Trying to parse invalid object…", "Invalid object ref…"), libheif why it cannot parse a photo,
// exceljs its own warnings — onto the terminal our users read and the stdout where
// `check --format json` writes its report. Our own code never writes to the console (the CLI writes
// to process.stdout/stderr), so whatever reaches the console while the API works is a library's:
// it goes to the console the caller gave (`console` option; the CLI gives the real one only with
// CHUANGCHENG_DEBUG=1), by default nowhere. Outside the API's work the console is left as it is.
//
// The console's functions are wrapped once, when this module is loaded (before the libraries, whose
// wasm glue may keep a reference to console.log), and the wrappers stay: outside the API's work they
// pass everything on; inside, a message goes to the console of the API call it comes from
// (AsyncLocalStorage), so two calls at once each keep theirs.
import { AsyncLocalStorage } from 'node:async_hooks';

/** Where libraries' console output goes: a console (or anything with its methods), or null for nowhere. */
export type LibraryConsole = Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'debug'> | null;

type Method = 'log' | 'info' | 'warn' | 'error' | 'debug';
const METHODS: Method[] = ['log', 'info', 'warn', 'error', 'debug'];

const current = new AsyncLocalStorage<{ console: LibraryConsole }>();
const originals = new Map<Method, (...args: unknown[]) => void>();

function install(): void {
  if (originals.size > 0) return;
  for (const m of METHODS) {
    const original = console[m].bind(console);
    originals.set(m, original);
    console[m] = (...args: unknown[]) => {
      const store = current.getStore();
      if (!store) return original(...args);
      const to = store.console;
      if (to === console) original(...args);
      else to?.[m](...args);
    };
  }
}

install();

/**
 * Run the API's work `fn` with libraries' console output going to `to` (undefined: where the call
 * around this one sends it, else nowhere).
 */
export function withConsole<T>(to: LibraryConsole | undefined, fn: () => Promise<T>): Promise<T> {
  install();
  return current.run({ console: to !== undefined ? to : (current.getStore()?.console ?? null) }, fn);
}

/** Run a library's work `fn` with its console output kept off the console (unless a caller asked for it). */
export function quietly<T>(fn: () => T | Promise<T>): Promise<T> {
  return withConsole(undefined, async () => fn());
}

/** The same, for synchronous work. */
export function quietlySync<T>(fn: () => T): T {
  install();
  return current.run({ console: current.getStore()?.console ?? null }, fn);
}
