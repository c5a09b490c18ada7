// What a build knows about each evidence file's content without reading it again: its SHA-256,
// remembered in the cache under the file's identity (size, modification time, inode, device). A
// file whose identity is unchanged since it was last hashed is not read to find its hash; one that
// changed in any way is hashed again. Entries made from content (a converted document, a prepared
// photo) are keyed by that hash, so a file moved or copied within the folder still finds them.
import { statSync } from 'node:fs';
import { cacheKey, type Cache } from './store.js';
import type { FsPath } from '../util/fsx.js';

const NAMESPACE = 'file-sha256';

/** A file's identity: what changes whenever its content may have. Undefined when it cannot be looked at. */
export function fileIdentity(abs: FsPath): string | undefined {
  try {
    const st = statSync(abs, { bigint: true });
    return `${st.size}:${st.mtimeNs}:${st.ino}:${st.dev}`;
  } catch {
    return undefined;
  }
}

interface HashesFile {
  /** evidence path → identity and content hash */
  entries: Record<string, { id: string; sha256: string }>;
}

export class FileHashes {
  private readonly known: HashesFile['entries'];
  private readonly next: HashesFile['entries'] = {};
  private changed = false;
  private readonly key: string;

  constructor(
    private readonly cache: Cache | undefined,
    /** what names this evidence folder (its real path) */
    evidenceKey: string,
  ) {
    this.key = cacheKey(NAMESPACE, evidenceKey);
    this.known = cache?.getJson<HashesFile>(NAMESPACE, this.key)?.entries ?? {};
  }

  /** The content hash of the file at `path`, when its identity is what it was when last hashed. */
  lookup(path: string, abs: FsPath): string | undefined {
    const id = fileIdentity(abs);
    const hit = this.next[path] ?? this.known[path];
    if (id === undefined || !hit || hit.id !== id) return undefined;
    this.next[path] = hit;
    return hit.sha256;
  }

  /** Remember the hash of the file at `path`, under the identity it has now. */
  remember(path: string, abs: FsPath, sha256: string): void {
    const id = fileIdentity(abs);
    if (id === undefined) return;
    this.next[path] = { id, sha256 };
    this.changed = true;
  }

  /** Keep what was learned (only the files looked up or hashed in this run). */
  save(): void {
    if (!this.cache || !this.changed) return;
    // files of this folder not looked at in this run (another --only) are kept too
    this.cache.putJson(NAMESPACE, this.key, { entries: { ...this.known, ...this.next } } satisfies HashesFile);
  }
}
