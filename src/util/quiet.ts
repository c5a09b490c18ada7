// Libraries that talk on the console: pdf-lib prints dozens of English lines for an odd PDF
// ("Trying to parse invalid object…", "Invalid object ref…"), onto the terminal our users read and
// the stdout where `check --format json` writes its report. Our own output never goes through
// console.* (it is written to process.stdout/stderr), so while a library works the console's
// log, info, warn and error say nothing, and afterwards they are as they were.
//
// The console's functions are wrapped once, when this module is first loaded (before any library
// keeps a reference to them), and the wrappers stay: silencing is a counter, so that overlapping
// silenced calls (pdf-lib yields while it parses) never restore a silenced console or silence a
// restored one.

type Method = 'log' | 'info' | 'warn' | 'error' | 'debug';
const METHODS: Method[] = ['log', 'info', 'warn', 'error', 'debug'];

let depth = 0;
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  for (const m of METHODS) {
    const original = console[m].bind(console);
    console[m] = (...args: unknown[]) => {
      if (depth === 0) original(...args);
    };
  }
}
install();

/** Run `fn` with the console silenced (until the promise it returns settles). */
export async function quietly<T>(fn: () => T | Promise<T>): Promise<T> {
  depth++;
  try {
    return await fn();
  } finally {
    depth--;
  }
}

/** The same, for synchronous work. */
export function quietlySync<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}
