// The one guard every command that writes goes through (build --out, merge --out, check --output,
// import --output, init's manual): an output is never empty (an unset shell variable), never inside
// an evidence folder (by any path: `..`, a symbolic link), and a file output is never a FIFO, a
// device or a folder (a report is written whole and renamed into place; a FIFO would wait for a
// reader for ever, /dev/stdout would be replaced).
//
// Which folders are evidence: the ones the command knows (the project's evidence folder; for merge,
// which has no project, the folder its shards' records describe — see `recordedEvidenceAt`), and
// any folder named `evidence` that has a `manual.yaml` beside it (the layout of contract §1: a
// project on disk is recognised even by a command that was not told about it).
import { existsSync, lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import { ChuangchengError } from '../errors.js';
import { isInside, realpathDeep, specialKind } from '../util/fsx.js';

export interface OutputGuard {
  /** the option as the user writes it, for messages: `--out`, `--output`, `--manual` */
  option: string;
  /** a folder we write into, or one file written whole */
  kind: 'folder' | 'file';
  /** evidence folders the command knows of */
  evidence?: readonly string[];
  /** more evidence folders, found from what lies above the output (merge: the shards' records) */
  evidenceAt?: (dir: string) => boolean;
}


/** The folders above `abs` (itself first), real paths. */
function ancestors(abs: string): string[] {
  const out: string[] = [];
  let cur = realpathDeep(abs);
  for (;;) {
    out.push(cur);
    const parent = path.dirname(cur);
    if (parent === cur) return out;
    cur = parent;
  }
}

/** A folder laid out as a project's evidence folder: named `evidence`, with a `manual.yaml` beside it. */
function projectEvidence(dir: string): boolean {
  return path.basename(dir) === 'evidence' && existsSync(path.join(path.dirname(dir), 'manual.yaml'));
}

/**
 * The absolute path to write, after the guard: throws a ChuangchengError (exit 2) saying what is wrong.
 * A file output that is a symbolic link to a regular file is written through the link (the link
 * stays); any other special file is refused.
 */
export function guardOutput(given: unknown, g: OutputGuard): string {
  if (typeof given !== 'string' || given === '') throw new ChuangchengError('option-empty', { option: g.option });
  const abs = path.resolve(given);
  const known = (g.evidence ?? []).find((e) => isInside(e, abs));
  const found = known ?? ancestors(abs).find((d) => projectEvidence(d) || g.evidenceAt?.(d));
  if (found !== undefined) {
    throw new ChuangchengError('output-in-evidence', { option: g.option, given, evidence: found });
  }
  let st;
  try {
    st = lstatSync(abs);
  } catch {
    return abs; // not there yet: made by the command
  }
  if (st.isSymbolicLink()) {
    try {
      st = statSync(abs);
    } catch {
      return abs; // a dangling link: replaced by the file, as a new name would be
    }
  }
  if (g.kind === 'folder') {
    if (!st.isDirectory()) throw new ChuangchengError('output-not-folder', { option: g.option, given });
    return abs;
  }
  if (!st.isFile()) {
    throw new ChuangchengError('output-not-file', { option: g.option, given, special: specialKind(st), folder: st.isDirectory() });
  }
  return realpathDeep(abs);
}
