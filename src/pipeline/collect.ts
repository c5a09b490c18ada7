// 收集材料: walk the evidence tree, place each file under its B-level indicator, and read what it is
// and what it says about itself (sidecar → file name → embedded metadata). Reads, never writes.
import { statSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { globby } from 'globby';
import pLimit from 'p-limit';
import type { FileMeta, Manual, Warning } from '../model.js';
import { beginsWithCode, parseFileName } from '../evidence/names.js';
import { probeFile, type Probe } from '../evidence/probe.js';
import { readSidecar } from '../evidence/sidecar.js';
import { typeFromExtension } from '../evidence/filetype.js';
import { naturalCompare } from '../util/natural.js';
import { globMatcher } from '../util/glob.js';

/** Never evidence and never reported. */
const NEVER = new Set(['.gitkeep', '.gitignore', '.gitattributes']);
const JUNK_NAMES = new Set(['thumbs.db', '.ds_store', 'desktop.ini']);

export interface Placement {
  aCode: string;
  bCode: string;
  /** path inside the B-level folder (or the file name when the file itself carries the code) */
  inner: string;
}

export interface CollectedFile {
  path: string;
  abs: string;
  size: number;
  ext: string;
  /** file name without extension, NFC */
  base: string;
  placement?: Placement;
  /** set when the file is dropped before anyone looks inside it */
  early?: { reason: 'junk' | 'excluded' | 'empty' | 'unsupported' | 'unreadable'; detail: string };
  probe?: Probe;
  meta?: FileMeta;
}

export interface Collected {
  files: CollectedFile[];
  warnings: Warning[];
}

export interface CollectOptions {
  /** how many files to read at once */
  concurrency?: number;
}

export function placeFile(relPath: string, codes: ReadonlyMap<string, string>): Placement | undefined {
  const parts = relPath.split('/');
  for (let i = parts.length - 1; i >= 0; i--) {
    const name = parts[i]!;
    let best: string | undefined;
    for (const code of codes.keys()) {
      if (beginsWithCode(name, code) && (!best || code.length > best.length)) best = code;
    }
    if (best) {
      const inner = i === parts.length - 1 ? name : parts.slice(i + 1).join('/');
      return { aCode: codes.get(best)!, bCode: best, inner };
    }
  }
  return undefined;
}

function splitName(name: string): { base: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { base: name, ext: '' };
  return { base: name.slice(0, dot), ext: name.slice(dot + 1).toLowerCase() };
}

function isJunk(relPath: string): boolean {
  const parts = relPath.split('/');
  const name = parts[parts.length - 1]!;
  if (JUNK_NAMES.has(name.toLowerCase())) return true;
  if (name.startsWith('~$')) return true;
  return parts.some((p) => p.startsWith('.'));
}

interface Walked {
  rel: string;
  abs: string;
}

/** Every regular file below root, following only the symbolic links that stay inside it. */
async function walk(root: string, warnings: Warning[]): Promise<Walked[]> {
  const realRoot = await realpath(root);
  const out: Walked[] = [];
  const visitedDirs = new Set<string>([realRoot]);
  const queue: { dir: string; prefix: string }[] = [{ dir: root, prefix: '' }];
  while (queue.length > 0) {
    const { dir, prefix } = queue.shift()!;
    const entries = await globby(['**/*'], {
      cwd: dir,
      dot: true,
      onlyFiles: false,
      followSymbolicLinks: false,
      ignore: ['**/.git/**', '.git'],
      objectMode: true,
      suppressErrors: true,
    });
    for (const e of entries) {
      const rel = (prefix + e.path).normalize('NFC');
      const abs = path.join(dir, e.path);
      if (e.dirent.isFile()) out.push({ rel, abs });
      else if (e.dirent.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(abs);
        } catch {
          warnings.push({ path: rel, code: 'outside-link', detail: '符号链接指向的文件不存在，已跳过' });
          continue;
        }
        if (target !== realRoot && !target.startsWith(realRoot + path.sep)) {
          warnings.push({ path: rel, code: 'outside-link', detail: '符号链接指向证据文件夹之外，出于安全不读取；请把文件本身放进来' });
          continue;
        }
        const st = await stat(target);
        if (st.isFile()) out.push({ rel, abs });
        else if (st.isDirectory() && !visitedDirs.has(target)) {
          visitedDirs.add(target);
          queue.push({ dir: abs, prefix: rel + '/' });
        }
      }
    }
  }
  return out.sort((a, b) => naturalCompare(a.rel, b.rel));
}

export async function collect(manual: Manual, evidenceDir: string, opts: CollectOptions = {}): Promise<Collected> {
  const warnings: Warning[] = [];
  const codes = new Map<string, string>();
  for (const a of manual.indicators) for (const b of a.indicators) codes.set(b.code, a.code);
  const excluded = globMatcher(manual.exclude);

  const walked = await walk(evidenceDir, warnings);
  const names = new Set(walked.map((w) => w.rel));
  const sidecars = new Map<string, string>();
  const candidates: Walked[] = [];
  for (const w of walked) {
    const name = w.rel.slice(w.rel.lastIndexOf('/') + 1);
    if (NEVER.has(name)) continue;
    const lower = w.rel.toLowerCase();
    if (lower.endsWith('.yaml') || lower.endsWith('.yml')) {
      const owner = w.rel.slice(0, w.rel.lastIndexOf('.'));
      if (names.has(owner)) {
        sidecars.set(owner, w.abs);
        continue;
      }
      if (typeFromExtension(splitName(owner).ext) && !isJunk(w.rel)) {
        warnings.push({ path: w.rel, code: 'orphan-sidecar', detail: `找不到它说明的文件 ${owner}，请检查文件名是否一致` });
        continue;
      }
    }
    candidates.push(w);
  }

  const limit = pLimit(opts.concurrency ?? 16);
  const files = await Promise.all(
    candidates.map((w) =>
      limit(async (): Promise<CollectedFile> => {
        const name = w.rel.slice(w.rel.lastIndexOf('/') + 1);
        const { base, ext } = splitName(name);
        const file: CollectedFile = { path: w.rel, abs: w.abs, size: 0, ext, base };
        const placement = placeFile(w.rel, codes);
        if (placement) file.placement = placement;
        if (isJunk(w.rel)) {
          file.early = { reason: 'junk', detail: junkDetail(name) };
          return file;
        }
        if (excluded(w.rel)) {
          file.early = { reason: 'excluded', detail: '与手册 exclude 中的规则匹配' };
          return file;
        }
        try {
          file.size = statSync(w.abs).size;
        } catch (err) {
          file.early = { reason: 'unreadable', detail: `无法读取文件（${(err as NodeJS.ErrnoException).code ?? String(err)}）` };
          return file;
        }
        if (file.size === 0) {
          file.early = { reason: 'empty', detail: '文件是空的（0 字节），请重新保存或拷贝原文件' };
          return file;
        }
        if (!placement) return file;
        file.probe = await probeFile(w.abs, file.size, ext);
        const sidecarAbs = sidecars.get(w.rel);
        const side = sidecarAbs ? await readSidecar(sidecarAbs) : { meta: {}, problems: [] };
        for (const p of side.problems) {
          warnings.push({ path: `${w.rel}.yaml`, code: 'bad-sidecar', detail: p, indicator: placement.bCode });
        }
        file.meta = buildMeta(base, placement.bCode, side.meta, file.probe);
        return file;
      }),
    ),
  );
  return { files, warnings };
}

function junkDetail(name: string): string {
  if (name.startsWith('~$')) return 'Office 打开文档时留下的临时锁定文件';
  if (name.startsWith('.')) return '隐藏文件（系统或软件自动生成）';
  return '系统自动生成的文件';
}

function buildMeta(base: string, bCode: string, side: Partial<FileMeta>, probe: Probe): FileMeta {
  const fromName = parseFileName(base, bCode);
  const meta: FileMeta = { ...side, title: side.title ?? (fromName.title || base) };
  if (!meta.docNo && fromName.docNo) meta.docNo = fromName.docNo;
  if (side.date) meta.dateSource = 'sidecar';
  else if (fromName.date) {
    meta.date = fromName.date;
    meta.dateSource = 'name';
  } else if (probe.ok && probe.embeddedDate) {
    meta.date = probe.embeddedDate;
    meta.dateSource = probe.embeddedDateSource;
  }
  return meta;
}
