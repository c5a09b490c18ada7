// What was learned about each file of an evidence folder, remembered in the cache under the file's
// identity (size, modification time, inode, device): a later run that finds a file with the same
// identity takes what was learned instead of reading the file again. One cache entry per folder
// and kind of knowledge; a file that changed in any way has another identity and is looked at anew.
import { statSync } from 'node:fs';
import { cacheKey, type Cache } from './store.js';
import type { FsPath } from '../util/fsx.js';

/** A file's identity: what changes whenever its content may have. Undefined when it cannot be looked at. */
export function fileIdentity(abs: FsPath): string | undefined {
  try {
    return identityOf(statSync(abs, { bigint: true }));
  } catch {
    return undefined;
  }
}

export function identityOf(st: { size: bigint; mtimeNs: bigint; ino: bigint; dev: bigint }): string {
  return `${st.size}:${st.mtimeNs}:${st.ino}:${st.dev}`;
}

interface Table<T> {
  /** evidence path → identity and what was learned */
  entries: Record<string, { id: string; value: T }>;
}

export class IdentityTable<T> {
  private readonly known: Table<T>['entries'];
  private readonly next: Table<T>['entries'] = {};
  private changed = false;
  private readonly key: string;

  constructor(
    private readonly cache: Cache | undefined,
    private readonly namespace: string,
    /** what names this evidence folder (its real path) */
    folder: string,
    /** keep entries of files not looked at in this run (a build with --only sees part of the folder) */
    private readonly keepUnseen = false,
  ) {
    this.key = cacheKey(namespace, folder);
    this.known = cache?.getJson<Table<T>>(namespace, this.key)?.entries ?? {};
  }

  /** What was learned about the file at `path`, if its identity is still `id`. */
  get(path: string, id: string | undefined): T | undefined {
    // (what this run learned first: a file hashed a moment ago is known by now)
    const hit = this.next[path] ?? this.known[path];
    if (id === undefined || !hit || hit.id !== id) return undefined;
    this.next[path] = hit;
    return hit.value;
  }

  set(path: string, id: string | undefined, value: T): void {
    if (id === undefined) return;
    this.next[path] = { id, value };
    this.changed = true;
  }

  /** Keep what this run learned (only when something changed: a warm run writes nothing). */
  save(): void {
    if (!this.cache) return;
    const gone = !this.keepUnseen && Object.keys(this.known).some((p) => !(p in this.next));
    if (!this.changed && !gone) return;
    this.cache.putJson(this.namespace, this.key, { entries: this.keepUnseen ? { ...this.known, ...this.next } : this.next } satisfies Table<T>);
  }
}
