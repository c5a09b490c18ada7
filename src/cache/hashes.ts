// What a build knows about each evidence file's content without reading it again: its SHA-256,
// remembered under the file's identity. Entries made from content (a converted document, a prepared
// photo) are keyed by that hash, so a file moved or copied within the folder still finds them.
import { fileIdentity, IdentityTable } from './by-identity.js';
import type { Cache } from './store.js';
import type { FsPath } from '../util/fsx.js';

export class FileHashes {
  private readonly table: IdentityTable<string>;

  constructor(
    cache: Cache | undefined,
    evidenceKey: string,
    /** files' identities known already (collect's), by path; others are looked at now */
    private readonly identities?: ReadonlyMap<string, string>,
  ) {
    this.table = new IdentityTable<string>(cache, 'file-sha256', evidenceKey, true);
  }

  /** The content hash of the file at `path`, when its identity is what it was when last hashed. */
  lookup(path: string, abs: FsPath): string | undefined {
    return this.table.get(path, this.identities?.get(path) ?? fileIdentity(abs));
  }

  /** Remember the hash of the file at `path`, under the identity it has now. */
  remember(path: string, abs: FsPath, sha256: string): void {
    this.table.set(path, fileIdentity(abs), sha256);
  }

  save(): void {
    this.table.save();
  }
}
