// How much memory a child process and its descendants hold now (resident set), read from /proc on
// Linux: what the LibreOffice watch (convert/office.ts) stops a run on. Undefined where there is no
// /proc (macOS, Windows): no watch there.
import { readdirSync, readFileSync } from 'node:fs';

/** The process's children, from every thread's `children` list (Linux ≥ 3.5). */
function children(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const t of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(/\s+/)) if (c) out.push(Number(c));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

function residentKb(pid: number): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return m ? Number(m[1]) : 0;
}

/** Resident bytes of `pid` and all its descendants; undefined when /proc cannot tell. */
export function treeResidentBytes(pid: number): number | undefined {
  const own = residentKb(pid);
  if (own === undefined) return undefined;
  let kb = own;
  const seen = new Set([pid]);
  const todo = children(pid);
  while (todo.length > 0) {
    const p = todo.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    kb += residentKb(p) ?? 0;
    todo.push(...children(p));
  }
  return kb * 1024;
}

/** Whether this system can tell (Linux with /proc). */
export function canWatchMemory(): boolean {
  return treeResidentBytes(process.pid) !== undefined;
}
