// 甄选材料: decide what is kept, what is dropped (and why), and what deserves a warning.
import pLimit from 'p-limit';
import type { Dropped, EvidenceFile, Manual, Warning } from '../model.js';
import { kindOf } from '../evidence/filetype.js';
import { hasCopyMarker } from '../evidence/names.js';
import { sha256File, sha256Head } from '../util/hash.js';
import { naturalCompare } from '../util/natural.js';
import type { Collected, CollectedFile } from './collect.js';

export const LOW_RESOLUTION_PX = 1000;

export interface Selection {
  kept: EvidenceFile[];
  dropped: Dropped[];
  unassigned: string[];
  warnings: Warning[];
  /** every file looked at: kept + dropped + unassigned */
  total: number;
}

export async function select(manual: Manual, collected: Collected): Promise<Selection> {
  const dropped: Dropped[] = [];
  const unassigned: string[] = [];
  const warnings: Warning[] = [...collected.warnings];
  let candidates: EvidenceFile[] = [];

  for (const f of collected.files) {
    const indicator = f.placement ? { indicator: f.placement.bCode } : {};
    if (f.early) {
      dropped.push({ path: f.path, reason: f.early.reason, detail: f.early.detail, ...indicator });
      continue;
    }
    if (!f.placement) {
      unassigned.push(f.path);
      continue;
    }
    const probe = f.probe!;
    if (!probe.ok) {
      dropped.push({ path: f.path, reason: probe.reason, detail: probe.detail, ...indicator });
      continue;
    }
    const meta = f.meta!;
    if (manual.period && meta.date && (meta.date < manual.period.from || meta.date > manual.period.to)) {
      dropped.push({
        path: f.path,
        reason: 'out-of-period',
        detail: `日期 ${meta.date}（${dateSourceLabel(meta.dateSource)}）不在测评周期 ${manual.period.from} 至 ${manual.period.to} 内`,
        ...indicator,
      });
      continue;
    }
    candidates.push(toEvidence(f));
  }

  const hashes = await hashSameSize(candidates);
  candidates = dropDuplicates(candidates, hashes, dropped);
  warnReused(candidates, hashes, warnings);

  const byPath = new Map(collected.files.map((x) => [x.path, x]));
  for (const f of candidates) {
    const c = byPath.get(f.path);
    if (c?.probe?.ok && c.probe.mismatch) {
      warnings.push({ path: f.path, code: 'type-mismatch', detail: c.probe.mismatch, indicator: f.bCode });
    }
    if (!f.meta.date) {
      warnings.push({
        path: f.path,
        code: 'undated',
        indicator: f.bCode,
        detail: '没有找到日期（说明文件、文件名、照片 EXIF 或 PDF 信息中都没有）。请在文件名前加日期，如“2023-10-12 创城主题班会”',
      });
    }
    if (f.kind === 'photo' && f.width !== undefined && f.height !== undefined && Math.min(f.width, f.height) < LOW_RESOLUTION_PX) {
      warnings.push({
        path: f.path,
        code: 'low-resolution',
        indicator: f.bCode,
        detail: `照片只有 ${f.width}×${f.height} 像素（短边不足 ${LOW_RESOLUTION_PX}），打印会模糊；请找原图（微信发送请勾选“原图”）`,
      });
    }
  }
  const order = (a: { path: string }, b: { path: string }) => naturalCompare(a.path, b.path);
  return {
    kept: candidates.sort(order),
    dropped: dropped.sort(order),
    unassigned: unassigned.sort(naturalCompare),
    warnings: warnings.sort((a, b) => naturalCompare(a.path, b.path) || a.code.localeCompare(b.code)),
    total: collected.files.length,
  };
}

function dateSourceLabel(s: EvidenceFile['meta']['dateSource']): string {
  return { sidecar: '来自说明文件', name: '来自文件名', exif: '来自照片 EXIF', pdf: '来自 PDF 创建日期' }[s ?? 'name'];
}

function toEvidence(f: CollectedFile): EvidenceFile {
  const probe = f.probe!;
  if (!probe.ok) throw new Error('toEvidence on a failed probe');
  const e: EvidenceFile = {
    path: f.path,
    abs: f.abs,
    size: f.size,
    type: probe.type,
    kind: kindOf(probe.type),
    aCode: f.placement!.aCode,
    bCode: f.placement!.bCode,
    inner: f.placement!.inner,
    meta: f.meta!,
  };
  if (probe.width !== undefined) e.width = probe.width;
  if (probe.height !== undefined) e.height = probe.height;
  if (probe.orientation !== undefined) e.orientation = probe.orientation;
  if (probe.pages !== undefined) e.pages = probe.pages;
  return e;
}

/**
 * Hash only files that could be equal: same size, then same first 64 KiB. Only those are read whole.
 */
async function hashSameSize(files: EvidenceFile[]): Promise<Map<string, string>> {
  const groupBy = (list: EvidenceFile[], key: (f: EvidenceFile) => string | undefined) => {
    const m = new Map<string, EvidenceFile[]>();
    for (const f of list) {
      const k = key(f);
      if (k !== undefined) m.set(k, [...(m.get(k) ?? []), f]);
    }
    return [...m.values()].filter((g) => g.length > 1);
  };
  const candidates = groupBy(files, (f) => String(f.size)).flat();
  const heads = groupBy(candidates, (f) => {
    try {
      return `${f.size}:${sha256Head(f.abs)}`;
    } catch {
      return undefined; // unreadable now: leave it to binding to report
    }
  }).flat();
  const limit = pLimit(4);
  const hashes = new Map<string, string>();
  await Promise.all(
    heads.map((f) =>
      limit(async () => {
        try {
          const h = await sha256File(f.abs);
          hashes.set(f.path, h);
          f.sha256 = h;
        } catch {
          // unreadable now: leave it to binding to report
        }
      }),
    ),
  );
  return hashes;
}

/** Within one B-level, keep one copy of each content: the one without 副本/copy/(1) marks, else the first by name. */
function dropDuplicates(files: EvidenceFile[], hashes: Map<string, string>, dropped: Dropped[]): EvidenceFile[] {
  const groups = new Map<string, EvidenceFile[]>();
  for (const f of files) {
    const h = hashes.get(f.path);
    if (!h) continue;
    const key = `${f.bCode}\u0000${h}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const drop = new Set<string>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const ranked = [...group].sort((a, b) => {
      const ma = hasCopyMarker(a.path.slice(a.path.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '')) ? 1 : 0;
      const mb = hasCopyMarker(b.path.slice(b.path.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '')) ? 1 : 0;
      return ma - mb || naturalCompare(a.path, b.path);
    });
    const keep = ranked[0]!;
    for (const f of ranked.slice(1)) {
      drop.add(f.path);
      dropped.push({ path: f.path, reason: 'duplicate', detail: `与已保留的 ${keep.path} 内容完全相同`, indicator: f.bCode });
    }
  }
  return files.filter((f) => !drop.has(f.path));
}

function warnReused(files: EvidenceFile[], hashes: Map<string, string>, warnings: Warning[]): void {
  const byHash = new Map<string, EvidenceFile[]>();
  for (const f of files) {
    const h = hashes.get(f.path);
    if (h) byHash.set(h, [...(byHash.get(h) ?? []), f]);
  }
  for (const group of byHash.values()) {
    const codes = new Set(group.map((f) => f.bCode));
    if (codes.size < 2) continue;
    for (const f of group) {
      const others = group.filter((o) => o.bCode !== f.bCode).map((o) => `${o.path}（${o.bCode}）`);
      warnings.push({
        path: f.path,
        code: 'reused',
        indicator: f.bCode,
        detail: `同一份材料也用在了 ${others.join('、')}；检查组可能视为重复提交，确认确实适用于两个指标`,
      });
    }
  }
}
