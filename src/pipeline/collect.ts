// 收集材料: walk the evidence tree, place each file under its B-level indicator, and read what it is
// and what it says about itself (sidecar → file name → embedded metadata). Reads, never writes.
// Every entry the walk finds comes out as exactly one collected file or one warning.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import pLimit from 'p-limit';
import type { DropDiag, FileMeta, Manual, WarningDiag, WarningParams } from '../model.js';

export type { Placement };
import { parseFileName } from '../evidence/names.js';
import { placeFile, type Placement } from '../evidence/placement.js';
import { probeFile, type Probe } from '../evidence/probe.js';
import { identityOf, type IdentityTable } from '../cache/by-identity.js';
import { readSidecar } from '../evidence/sidecar.js';
import { typeFromExtension } from '../evidence/filetype.js';
import { walkEvidence, type NameIssue, type WalkedEntry } from '../evidence/walk.js';
import type { FsPath } from '../util/fsx.js';
import { errnoOf, readRegularFile } from '../util/fsx.js';
import { decodeText, encodingWarning } from '../convert/text.js';
import { MAX_REASON_BYTES } from '../evidence/limits.js';
import { globMatcher } from '../util/glob.js';

/** Never evidence and never reported. */
const NEVER = new Set(['.gitkeep', '.gitignore', '.gitattributes']);
const SYSTEM_NAMES = new Set(['thumbs.db', '.ds_store', 'desktop.ini']);

/** A reason to drop the file that needs no look inside it. */
export type EarlyDrop = Pick<Extract<DropDiag, { reason: 'junk' | 'excluded' | 'empty' | 'unsupported' | 'unreadable' | 'lfs-pointer' }>, 'reason' | 'params'>;

export interface CollectedFile {
  /** relative path as shown; unique (NFC and NFD twins are two files) */
  path: string;
  abs: FsPath;
  size: number;
  ext: string;
  /** file name without extension, NFC */
  base: string;
  placement?: Placement;
  early?: EarlyDrop;
  probe?: Probe;
  meta?: FileMeta;
}

export interface Collected {
  files: CollectedFile[];
  /** the unit's own words on why a B-level lacks material: `缺项说明.txt` / `.md` in its folder */
  reasons: Map<string, string>;
  /** folders that could not be read: dropped, with everything in them */
  folders: DropDiag[];
  warnings: WarningDiag[];
  /**
   * Each file's identity as collect saw it (size, mtime, inode, device), by path: what the cached
   * tables of this run are looked up by, without another stat. Kept out of the files' data, which
   * must be the same on every machine (shards).
   */
  identities: Map<string, string>;
}

export interface CollectOptions {
  /** how many files to read at once */
  concurrency?: number;
  /** what earlier runs found inside each file, by its identity: an unchanged file is not read again */
  probes?: IdentityTable<Probe>;
}

function splitName(name: string): { base: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { base: name, ext: '' };
  return { base: name.slice(0, dot), ext: name.slice(dot + 1).toLowerCase() };
}

function junkCause(relPath: string): 'office-lock' | 'hidden' | 'system' | undefined {
  const parts = relPath.split('/');
  const name = parts[parts.length - 1]!;
  if (name.startsWith('~$')) return 'office-lock';
  if (SYSTEM_NAMES.has(name.toLowerCase())) return 'system';
  if (parts.some((p) => p.startsWith('.'))) return 'hidden';
  return undefined;
}

const lastName = (rel: string) => rel.slice(rel.lastIndexOf('/') + 1);

export async function collect(manual: Manual, evidenceDir: string, opts: CollectOptions = {}): Promise<Collected> {
  const warnings: WarningDiag[] = [];
  const folders: DropDiag[] = [];
  const codes = new Map<string, string>();
  for (const a of manual.indicators) for (const b of a.indicators) codes.set(b.code, a.code);
  const excludeRules = manual.exclude.map((pattern) => ({ pattern, test: globMatcher([pattern]) }));
  const excludedBy = (key: string) => excludeRules.find((r) => r.test(key))?.pattern;

  const walked = walkEvidence(evidenceDir);
  for (const p of walked.problems) {
    const placed = placeFile(p.rel, codes);
    const indicator = placed ? { indicator: placed.bCode } : {};
    if (p.kind === 'unreadable-folder') {
      folders.push({ path: p.rel, reason: 'unreadable', params: { cause: 'folder', errno: p.detail ?? 'EIO' }, ...indicator });
    } else {
      const cause = p.kind === 'outside-link' ? 'outside' : p.kind === 'link-loop' ? 'loop' : p.kind === 'link-repeat' ? 'repeat' : 'dangling';
      warnings.push({ path: p.rel, code: 'outside-link', params: { cause }, ...indicator });
    }
  }

  // Sidecars: `NAME.EXT.yaml` beside a file NAME.EXT — the same name exactly, else the same after NFC.
  const byRel = new Map<string, WalkedEntry>();
  const byKey = new Map<string, WalkedEntry[]>();
  for (const e of walked.entries) {
    byRel.set(e.rel, e);
    byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
  }
  const sidecars = new Map<string, WalkedEntry>();
  const candidates: WalkedEntry[] = [];
  const reasons = new Map<string, string>();
  for (const e of walked.entries) {
    const name = lastName(e.rel);
    if (NEVER.has(name)) continue;
    const placed = e.kind === 'file' ? placeFile(e.key, codes) : undefined;
    if (placed && REASON_FILE.test(placed.inner)) {
      // the reason for a gap, printed on its 缺项说明 page: never evidence, never counted
      const read = readReason(e.io, e.rel);
      // (printed on the 缺项说明 page: a reading that is only a guess, or damaged, is said)
      if (read?.warning) warnings.push({ path: e.rel, code: 'text-encoding', params: read.warning, indicator: placed.bCode });
      const text = read?.text;
      if (text) reasons.set(placed.bCode, reasons.has(placed.bCode) ? `${reasons.get(placed.bCode)}\n${text}` : text);
      continue;
    }
    const lower = e.key.toLowerCase();
    if (e.kind === 'file' && (lower.endsWith('.yaml') || lower.endsWith('.yml'))) {
      const ownerRel = e.rel.slice(0, e.rel.lastIndexOf('.'));
      const owner = byRel.get(ownerRel) ?? (byKey.get(ownerRel.normalize('NFC'))?.length === 1 ? byKey.get(ownerRel.normalize('NFC'))![0] : undefined);
      // a sidecar describes an evidence file, not another sidecar (`x.txt.yaml.yaml` is just a file)
      if (owner && owner !== e && !/\.ya?ml$/i.test(owner.key)) {
        // two for one file (x.txt.yaml and x.txt.yml): the first by name is read, the other said so
        const first = sidecars.get(owner.rel);
        const [used, unused] = !first ? [e, undefined] : e.rel < first.rel ? [e, first] : [first, e];
        sidecars.set(owner.rel, used);
        if (unused) {
          const placed = placeFile(unused.rel, codes);
          warnings.push({
            path: unused.rel,
            code: 'bad-sidecar',
            params: { cause: 'unusable', message: `${lastName(owner.rel)} 已有说明文件 ${lastName(used.rel)}` },
            ...(placed ? { indicator: placed.bCode } : {}),
          });
        }
        continue;
      }
      if (typeFromExtension(splitName(ownerRel).ext) && !junkCause(e.rel)) {
        warnings.push({ path: e.rel, code: 'orphan-sidecar', params: { owner: ownerRel } });
        continue;
      }
    }
    candidates.push(e);
  }

  // Names that differ only by normalisation are two files; say so, they look identical in any list.
  const isCandidate = new Set(candidates);
  for (const group of byKey.values()) {
    const files = group.filter((e) => isCandidate.has(e));
    for (const e of files.slice(1)) {
      const placed = placeFile(e.rel, codes);
      warnings.push({ path: e.rel, code: 'lookalike-name', params: { other: files[0]!.rel }, ...(placed ? { indicator: placed.bCode } : {}) });
    }
  }

  const limit = pLimit(opts.concurrency ?? 16);
  const identities = new Map<string, string>();
  const files = await Promise.all(
    candidates.map((e) =>
      limit(async (): Promise<CollectedFile> => {
        const { base, ext } = splitName(lastName(e.key));
        const file: CollectedFile = { path: e.rel, abs: e.io, size: 0, ext, base };
        const placement = placeFile(e.key, codes);
        if (placement) file.placement = placement;
        const junk = junkCause(e.rel);
        if (junk) {
          file.early = { reason: 'junk', params: { cause: junk } };
          return file;
        }
        const pattern = excludedBy(e.key);
        if (pattern !== undefined) {
          file.early = { reason: 'excluded', params: { pattern } };
          return file;
        }
        // past junk and exclude rules, the file counts: its odd name is worth a word
        if (e.nameIssue) warnings.push(nameWarning(e.rel, e.nameIssue, placement?.bCode));
        if (e.kind === 'special') {
          file.early = { reason: 'unsupported', params: { cause: 'special-file', special: e.special ?? 'device' } };
          return file;
        }
        let id: string;
        try {
          const st = statSync(e.io, { bigint: true });
          file.size = Number(st.size);
          id = identityOf(st);
          identities.set(e.rel, id);
        } catch (err) {
          file.early = { reason: 'unreadable', params: { cause: 'io-error', errno: errnoOf(err) ?? 'EIO' } };
          return file;
        }
        if (file.size === 0) {
          file.early = { reason: 'empty', params: {} };
          return file;
        }
        if (!placement) return file;
        const known = opts.probes?.get(e.rel, id);
        file.probe = known ?? (await probeFile(e.io, e.rel, file.size, ext));
        // what the file holds is kept; a failure to read it may pass, and is looked at again
        if (!known && !(!file.probe.ok && file.probe.reason === 'unreadable')) opts.probes?.set(e.rel, id, file.probe);
        if (!file.probe.ok && file.probe.reason === 'lfs-pointer') {
          file.early = { reason: 'lfs-pointer', params: { ...file.probe.params, include: lfsInclude(evidenceDir, e.rel) } };
          return file;
        }
        const sidecar = sidecars.get(e.rel);
        const side = sidecar ? await readSidecar(sidecar.io, sidecar.rel) : { meta: {}, problems: [] };
        for (const params of side.problems) warnings.push({ path: sidecar!.rel, code: 'bad-sidecar', params, indicator: placement.bCode });
        file.meta = buildMeta(base, placement.bCode, side.meta, file.probe);
        return file;
      }),
    ),
  );
  return { files, folders, warnings, reasons, identities };
}

/**
 * The folder holding `rel` as \`git lfs pull --include\` wants it: relative to the repository's root
 * (the nearest folder above the evidence with a .git), else to the evidence folder.
 */
function lfsInclude(evidenceDir: string, rel: string): string {
  const folder = path.posix.dirname(rel);
  const parts = [repoPrefix(evidenceDir), folder === '.' ? '' : folder].filter(Boolean);
  return parts.length > 0 ? `${parts.join('/')}/**` : '**';
}

/**
 * The evidence folder's path from the root of the Git repository holding it (the nearest folder
 * above with a .git), `/`-separated; empty when it is the root or lies in no repository.
 */
export function repoPrefix(evidenceDir: string): string {
  for (let dir = path.resolve(evidenceDir); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return path.relative(dir, path.resolve(evidenceDir)).split(path.sep).join('/');
    if (path.dirname(dir) === dir) return '';
  }
}

const REASON_FILE = /^缺项说明\.(txt|md)$/iu;

function readReason(io: FsPath, rel: string): { text?: string; warning?: WarningParams['text-encoding'] } | undefined {
  try {
    const decoded = decodeText(readRegularFile(io, rel, MAX_REASON_BYTES));
    const text = decoded.text.trim();
    const warning = text ? encodingWarning(decoded) : undefined;
    return { ...(text ? { text } : {}), ...(warning ? { warning } : {}) };
  } catch {
    return undefined;
  }
}

function nameWarning(rel: string, issue: NameIssue, indicator: string | undefined): WarningDiag {
  return { path: rel, code: 'name-encoding', params: { encoding: issue.encoding, raw: issue.raw }, ...(indicator ? { indicator } : {}) };
}

function buildMeta(base: string, bCode: string, side: Partial<FileMeta>, probe: Probe): FileMeta {
  const fromName = parseFileName(base, bCode);
  const meta: FileMeta = { ...side, title: side.title ?? fromName.title };
  if (!side.title && fromName.deviceName) meta.deviceName = true;
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
