// Every entry below the evidence folder, read as raw bytes so that nothing can vanish: names that
// are not UTF-8 (a Windows zip unpacked elsewhere: GBK), names that differ only by Unicode
// normalisation (macOS NFD beside NFC), paths longer than the system allows, and special files
// (FIFOs, sockets, devices), which are listed but never opened.
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { FsPath } from '../util/fsx.js';
import { errnoOf, errnoText, FileAccessError } from '../util/fsx.js';
import { ioPath } from '../util/longpath.js';

export interface NameIssue {
  /** the path as we show it (GBK read as such, else bytes as %XX) */
  rendering: string;
  /** the raw path, percent-encoded where it is not ASCII */
  raw: string;
  encoding: 'gb18030' | 'unknown';
}

export interface WalkedEntry {
  /** relative path as shown, `/`-separated, normalisation as on disk (it identifies the file) */
  rel: string;
  /** NFC of `rel`: what codes, patterns and sidecars are compared with */
  key: string;
  /** what to open */
  io: FsPath;
  kind: 'file' | 'special';
  /** for special files: fifo | socket | device */
  special?: 'fifo' | 'socket' | 'device';
  nameIssue?: NameIssue;
}

export interface WalkProblem {
  rel: string;
  kind: 'outside-link' | 'dangling-link' | 'unreadable-folder' | 'link-loop' | 'link-repeat';
  /** errno code (EACCES …), for unreadable folders */
  detail?: string;
}

export interface Walked {
  entries: WalkedEntry[];
  problems: WalkProblem[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const gb = new TextDecoder('gb18030');

function percent(bytes: Buffer): string {
  let s = '';
  for (const b of bytes) s += b >= 0x21 && b < 0x7f && b !== 0x25 ? String.fromCharCode(b) : b === 0x20 ? ' ' : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return s;
}

// eslint-disable-next-line no-control-regex
const NOT_CLEAN = /[\uFFFD\u0000-\u001f\u007f-\u009f\ue000-\uf8ff]/u;
/** Characters a GBK name shows when its bytes are read as UTF-8: combining marks, Greek to Arabic. */
const GBK_AS_UTF8 = /[\u0300-\u07ff]/u;

/**
 * A name's text, and how it was read when it is not UTF-8. `gbkContext` says the name sits in a
 * folder from a GBK archive (an ancestor or a sibling is GBK): then a name that happens to be valid
 * UTF-8 but reads as combining marks or Cyrillic (GBK 通知 is also valid UTF-8) is read as GBK too.
 */
export function decodeName(bytes: Buffer, gbkContext = false): { text: string; encoding?: 'gb18030' | 'unknown' } {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const g = gb.decode(bytes);
    if (!NOT_CLEAN.test(g)) return { text: g, encoding: 'gb18030' };
    return { text: percent(bytes), encoding: 'unknown' };
  }
  if (gbkContext && GBK_AS_UTF8.test(text) && !/\p{Script=Han}/u.test(text)) {
    const g = gb.decode(bytes);
    if (!NOT_CLEAN.test(g) && /\p{Script=Han}/u.test(g)) return { text: g, encoding: 'gb18030' };
  }
  return { text };
}

function specialOf(d: { isFIFO(): boolean; isSocket(): boolean }): 'fifo' | 'socket' | 'device' {
  return d.isFIFO() ? 'fifo' : d.isSocket() ? 'socket' : 'device';
}

interface Frame {
  abs: Buffer;
  /** real path of the folder (latin1 of its bytes): a link to it or above it is a loop */
  real: string;
  rel: string;
  raw: string;
  issue: 'gb18030' | 'unknown' | undefined;
}

/**
 * Walk `root`. `.git` folders are skipped. Symbolic links are followed only when they stay inside
 * the folder (each folder once); links that leave it, dangle or loop are problems, not entries.
 */
export function walkEvidence(root: string): Walked {
  const rootAbs = Buffer.from(path.resolve(root));
  const rootReal = realpathSync(rootAbs, { encoding: 'buffer' }).toString('latin1');
  const entries: WalkedEntry[] = [];
  const problems: WalkProblem[] = [];
  const seenDirs = new Set<string>([rootReal]);
  const stack: Frame[] = [{ abs: rootAbs, real: rootReal, rel: '', raw: '', issue: undefined }];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let list: Dirent<Buffer>[];
    try {
      list = readdirSync(ioPath(dir.abs), { withFileTypes: true, encoding: 'buffer' });
    } catch (err) {
      if (dir.rel === '') throw new FileAccessError(root, 'unreadable', `无法读取证据文件夹 ${root}（${errnoText(errnoOf(err))}）`, errnoOf(err));
      problems.push({ rel: dir.rel, kind: 'unreadable-folder', detail: errnoOf(err) ?? 'EIO' });
      continue;
    }
    // Names as shown must be unique within a folder: a GBK name whose rendering equals a real
    // UTF-8 neighbour is shown by its bytes instead.
    const first = list.map((d) => decodeName(d.name, dir.issue === 'gb18030'));
    const gbkHere = dir.issue === 'gb18030' || first.some((x) => x.encoding === 'gb18030');
    const decoded = list.map((d, i) => ({ d, ...(gbkHere && !first[i]!.encoding ? decodeName(d.name, true) : first[i]!) }));
    const plain = new Set(decoded.filter((x) => !x.encoding).map((x) => x.text));
    for (const x of decoded) {
      const { d } = x;
      let text = x.text;
      let encoding = x.encoding;
      if (encoding && plain.has(text)) {
        text = percent(d.name);
        encoding = 'unknown';
      }
      if (text === '.git' && (d.isDirectory() || d.isSymbolicLink())) continue;
      const abs = Buffer.concat([dir.abs, Buffer.from('/'), d.name]);
      const rel = dir.rel ? `${dir.rel}/${text}` : text;
      const raw = dir.raw ? `${dir.raw}/${percent(d.name)}` : percent(d.name);
      const issue = dir.issue === 'unknown' || encoding === 'unknown' ? 'unknown' : (dir.issue ?? encoding);
      const frame: Frame = { abs, real: `${dir.real}/${d.name.toString('latin1')}`, rel, raw, issue };
      if (d.isDirectory()) {
        stack.push(frame);
        continue;
      }
      if (d.isFile()) {
        entries.push(entry(frame, 'file'));
        continue;
      }
      if (d.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(ioPath(abs), { encoding: 'buffer' }).toString('latin1');
        } catch (err) {
          problems.push({ rel, kind: errnoOf(err) === 'ELOOP' ? 'link-loop' : 'dangling-link' });
          continue;
        }
        if (target !== rootReal && !target.startsWith(rootReal + '/')) {
          problems.push({ rel, kind: 'outside-link' });
          continue;
        }
        let st;
        try {
          st = statSync(ioPath(abs));
        } catch {
          problems.push({ rel, kind: 'dangling-link' });
          continue;
        }
        if (st.isDirectory()) {
          // A link to the folder it stands in, or above (the evidence folder itself): following it
          // would list every file below a second time.
          if (dir.real === target || dir.real.startsWith(target + '/')) problems.push({ rel, kind: 'link-loop' });
          // Each folder is followed through one link only (links to links could multiply without end).
          else if (seenDirs.has(target)) problems.push({ rel, kind: 'link-repeat' });
          else {
            seenDirs.add(target);
            stack.push({ ...frame, real: target });
          }
        } else if (st.isFile()) entries.push(entry(frame, 'file'));
        else entries.push({ ...entry(frame, 'special'), special: specialOf(st) });
        continue;
      }
      entries.push({ ...entry(frame, 'special'), special: specialOf(d) });
    }
  }
  return { entries, problems };
}

function entry(f: Frame, kind: 'file' | 'special'): WalkedEntry {
  const e: WalkedEntry = { rel: f.rel, key: f.rel.normalize('NFC'), io: ioPath(f.abs), kind };
  if (f.issue) e.nameIssue = { rendering: f.rel, raw: f.raw, encoding: f.issue };
  // plain UTF-8 paths are opened by their string: easier to read in any error
  if (!f.issue && e.io === f.abs) e.io = f.abs.toString('utf8');
  return e;
}
