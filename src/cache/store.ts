// A content-addressed cache on disk: what took work to make (an office file converted, a photo
// prepared, a page drawn, a photo measured) is kept under a key made of everything it depends on —
// the input's content hash, every parameter, the tool's version — so a later run that asks for the
// same thing reads it back instead of making it again.
//
// Entries are whole or absent: each is written to a temporary file and renamed into place, so two
// builds may share one cache. Each entry carries the SHA-256 of its payload; one that does not match
// (a disk error, a file cut short) is removed and made again. The cache is bounded: after a run, the
// least recently used entries are removed until it is under its size limit.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VERSION } from '../version.js';
import { mkdirp } from '../util/fsx.js';

const MAGIC = 'chuangcheng-cache 1\n';
/** MAGIC + 64 hex digits of the payload's SHA-256 + "\n" */
const HEADER = MAGIC.length + 65;
export const DEFAULT_CACHE_BYTES = 2 * 1024 ** 3;

export interface CacheStats {
  hits: number;
  misses: number;
  /** entries found damaged, removed and made again */
  corrupt: number;
  writes: number;
}

/** A key from its parts: the namespace, the tool's version, then whatever the entry depends on. */
export function cacheKey(namespace: string, ...parts: (string | number | boolean | undefined)[]): string {
  const h = createHash('sha256');
  for (const p of [namespace, VERSION, ...parts]) h.update(`${p === undefined ? '\u0000' : String(p)}\u0001`);
  return h.digest('hex');
}

/** Remove a file of the cache; one that cannot be (a read-only cache, another user's) is left. */
function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // only the saving is lost
  }
}

export class Cache {
  readonly stats: CacheStats = { hits: 0, misses: 0, corrupt: 0, writes: 0 };

  constructor(
    /** the cache folder (made on first write) */
    readonly dir: string,
    readonly maxBytes = DEFAULT_CACHE_BYTES,
  ) {}

  private file(namespace: string, key: string): string {
    return path.join(this.dir, 'v1', namespace, key.slice(0, 2), key);
  }

  /** The entry's bytes, or undefined on a miss (a damaged entry is removed and counts as a miss). */
  get(namespace: string, key: string): Buffer | undefined {
    const file = this.file(namespace, key);
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch {
      this.stats.misses++;
      return undefined;
    }
    const payload = data.subarray(HEADER);
    const ok =
      data.length >= HEADER &&
      data.subarray(0, MAGIC.length).toString('latin1') === MAGIC &&
      data.subarray(MAGIC.length, MAGIC.length + 64).toString('latin1') === createHash('sha256').update(payload).digest('hex');
    if (!ok) {
      removeQuietly(file);
      this.stats.corrupt++;
      this.stats.misses++;
      return undefined;
    }
    this.touch(file);
    this.stats.hits++;
    return payload;
  }

  /** Store bytes under the key, whole or not at all. A failure to write only loses the saving. */
  put(namespace: string, key: string, payload: Uint8Array): void {
    const file = this.file(namespace, key);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirp(path.dirname(file));
      const head = Buffer.from(`${MAGIC}${createHash('sha256').update(payload).digest('hex')}\n`, 'latin1');
      const fd = openSync(tmp, 'wx');
      try {
        writeFileSync(fd, head);
        writeFileSync(fd, payload);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, file);
      this.stats.writes++;
    } catch {
      removeQuietly(tmp);
    }
  }

  /** The entry as JSON, or undefined. */
  getJson<T>(namespace: string, key: string): T | undefined {
    const b = this.get(namespace, key);
    if (!b) return undefined;
    try {
      return JSON.parse(b.toString('utf8')) as T;
    } catch {
      return undefined;
    }
  }

  putJson(namespace: string, key: string, value: unknown): void {
    this.put(namespace, key, Buffer.from(JSON.stringify(value), 'utf8'));
  }

  /** An entry made of a small JSON description and a body of bytes (a prepared photo and its size). */
  getWith<T>(namespace: string, key: string): { meta: T; body: Buffer } | undefined {
    const b = this.get(namespace, key);
    if (!b || b.length < 4) return undefined;
    const n = b.readUInt32BE(0);
    if (4 + n > b.length) return undefined;
    try {
      return { meta: JSON.parse(b.subarray(4, 4 + n).toString('utf8')) as T, body: b.subarray(4 + n) };
    } catch {
      return undefined;
    }
  }

  putWith(namespace: string, key: string, meta: unknown, body: Uint8Array): void {
    const json = Buffer.from(JSON.stringify(meta), 'utf8');
    const head = Buffer.alloc(4);
    head.writeUInt32BE(json.length, 0);
    this.put(namespace, key, Buffer.concat([head, json, body]));
  }

  /** Mark as recently used: eviction goes by modification time. */
  private touch(file: string): void {
    try {
      const now = new Date();
      utimesSync(file, now, now);
    } catch {
      // a read-only cache still serves
    }
  }

  /**
   * Remove the least recently used entries until the cache holds at most `maxBytes` (down to 90 % of
   * it, so that the next run does not evict again at once). Leftover temporary files of runs that
   * died are removed when older than an hour.
   */
  evict(now = Date.now()): { removed: number; bytes: number } {
    const entries: { file: string; size: number; mtime: number }[] = [];
    let total = 0;
    const root = path.join(this.dir, 'v1');
    const walk = (dir: string, depth: number) => {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return;
      }
      for (const name of names) {
        const p = path.join(dir, name);
        if (depth < 2) {
          walk(p, depth + 1);
          continue;
        }
        try {
          const st = statSync(p);
          if (name.endsWith('.tmp')) {
            if (now - st.mtimeMs > 3600_000) removeQuietly(p);
            continue;
          }
          entries.push({ file: p, size: st.size, mtime: st.mtimeMs });
          total += st.size;
        } catch {
          // gone meanwhile: another run evicted it
        }
      }
    };
    walk(root, 0);
    let removed = 0;
    if (total > this.maxBytes) {
      entries.sort((a, b) => a.mtime - b.mtime);
      for (const e of entries) {
        if (total <= this.maxBytes * 0.9) break;
        removeQuietly(e.file);
        total -= e.size;
        removed++;
      }
    }
    return { removed, bytes: total };
  }
}
