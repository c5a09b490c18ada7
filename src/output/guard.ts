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
import { UsageError } from '../errors.js';
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

const PATH_OPTIONS: Record<string, string> = { '--out': '输出文件夹', '--output': '输出文件', '--manual': '测评手册文件', '--evidence': '证据文件夹', '--cache': '缓存文件夹' };

/** An option whose value is the empty text: what `--out "$OUT"` gives when OUT is not set. */
export function emptyValueMessage(option: string): string {
  const what = PATH_OPTIONS[option];
  return what
    ? `${option} 的值是空的（命令里的变量可能没有设置）。空路径会被当成当前文件夹，所以没有执行。请给出${what}的路径。`
    : `${option} 的值是空的（命令里的变量可能没有设置），所以没有执行。请给出它的值，或去掉这个选项。`;
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
 * The absolute path to write, after the guard: throws a UsageError (exit 2) saying what is wrong.
 * A file output that is a symbolic link to a regular file is written through the link (the link
 * stays); any other special file is refused.
 */
export function guardOutput(given: unknown, g: OutputGuard): string {
  if (typeof given !== 'string' || given === '') throw new UsageError(emptyValueMessage(g.option));
  const abs = path.resolve(given);
  const known = (g.evidence ?? []).find((e) => isInside(e, abs));
  const found = known ?? ancestors(abs).find((d) => projectEvidence(d) || g.evidenceAt?.(d));
  if (found !== undefined) {
    throw new UsageError(
      `不能把输出写进证据文件夹：${g.option} ${given} 在证据文件夹 ${found} 里（或经符号链接指向那里）。` +
        `证据文件夹只读，写在里面的文件下次装订时会被当成证据。请换一个位置。`,
    );
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
    if (!st.isDirectory()) throw new UsageError(`${g.option} ${given} 已存在，但不是文件夹。请换一个名字，或用 ${g.option} 指定一个文件夹。`);
    return abs;
  }
  if (!st.isFile()) {
    throw new UsageError(
      `${g.option} ${given} 是${specialKind(st)}，不是普通文件：报告要整个写好后才放到位，不能写进${st.isDirectory() ? '文件夹本身' : '它'}。` +
        (st.isDirectory() ? '请在文件夹后面加上文件名。' : '要把报告交给别的程序，请去掉 --output，用管道（|）或重定向（>）。'),
    );
  }
  return realpathDeep(abs);
}
