// `build`: the whole pipeline — collect → select → supplement → organize → bind — one A-level at
// a time, so memory is bounded by one volume. Writes only inside the output folder, each file via a
// temporary name and a rename; the manifest is written last.
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { check, localToday, UsageError, writeOutput, type CheckOptions } from './api.js';
import { folderName } from './init.js';
import { isCalendarDate } from './manual/schema.js';
import type { Warning } from './model.js';
import { organize } from './pipeline/organize.js';
import { supplement } from './pipeline/supplement.js';
import { FontError, FontSet, fontFiles } from './render/fonts.js';
import { Canvas, layout } from './render/pdf/canvas.js';
import { bindVolume } from './render/pdf/bind.js';
import { popplerRenderer, renderDocxVolume } from './render/docx/volume.js';
import { photoSlot, textLines } from './render/pdf/pages.js';
import { DROP_LABEL } from './report/labels.js';
import { buildReport, type Report, type VolumeReport } from './report/report.js';
import { renderCatalogueXlsx, type CatalogueSheet } from './report/xlsx.js';
import { VERSION } from './version.js';

export type BuildEvent =
  | { type: 'start'; volumes: number; files: number }
  | { type: 'volume'; code: string; title: string; index: number; of: number }
  | { type: 'file'; path: string }
  | { type: 'written'; files: string[]; pages: number; items: number };

export interface BuildOptions extends CheckOptions {
  out?: string;
  /** A-level codes to build (default: all) */
  only?: string[];
  formats?: ('pdf' | 'docx')[];
  strict?: boolean;
  /** 立卷时间, YYYY-MM-DD (default: SOURCE_DATE_EPOCH's date, else today) */
  date?: string;
  jobs?: number;
  onProgress?: (e: BuildEvent) => void;
}

export interface BuildResult {
  report: Report;
  outDir: string;
  files: string[];
  /** what --strict fails on: gaps, and files that could not be bound */
  problems: number;
  seconds: number;
}

export function buildDate(opts: { date?: string }): string {
  if (opts.date !== undefined) {
    if (!isCalendarDate(opts.date)) throw new UsageError(`--date 应为 YYYY-MM-DD 格式的日期，收到 "${opts.date}"`);
    return opts.date;
  }
  const sde = process.env.SOURCE_DATE_EPOCH;
  if (sde && /^\d+$/.test(sde)) return new Date(Number(sde) * 1000).toISOString().slice(0, 10);
  return localToday();
}

function insideOf(dir: string, p: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(p));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export async function build(opts: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const formats = opts.formats ?? ['pdf', 'docx'];
  if (formats.length === 0) throw new UsageError('--format 至少要有 pdf 或 docx 之一');
  const date = buildDate(opts);
  const { paths, assessment } = await check({ ...opts, today: opts.today ?? date });
  const outDir = path.resolve(opts.out ?? path.join(paths.dir, 'out'));
  if (insideOf(paths.evidence, outDir)) {
    throw new UsageError(`输出文件夹 ${outDir} 在证据文件夹里。证据文件夹只读，请用 --out 指定别处。`);
  }
  const manual = assessment.manual;
  let aLevels = assessment.indicators;
  if (opts.only && opts.only.length > 0) {
    const known = new Set(aLevels.map((a) => a.indicator.code));
    const unknown = opts.only.filter((c) => !known.has(c));
    if (unknown.length > 0) {
      throw new UsageError(`--only 中的一级指标编码不存在：${unknown.join('、')}。可用的有：${[...known].join('、')}`);
    }
    aLevels = aLevels.filter((a) => opts.only!.includes(a.indicator.code));
  }
  let fonts: FontSet;
  try {
    fonts = await FontSet.load(fontFiles(manual));
  } catch (err) {
    if (err instanceof FontError) throw new UsageError(err.message);
    throw err;
  }
  const jobs = Math.max(1, opts.jobs ?? availableParallelism());
  const L = layout();
  const slot = photoSlot(manual.volume.photosPerPage);
  const px = (pt: number) => Math.round((pt / 72) * L.photo.dpi);
  const measure = new Canvas(fonts);
  const emit = opts.onProgress ?? (() => {});
  const pageRenderer = formats.includes('docx') ? popplerRenderer() : undefined;
  emit({ type: 'start', volumes: aLevels.length, files: assessment.kept.length });

  const written: string[] = [];
  const catalogue: CatalogueSheet[] = [];
  const volumes: VolumeReport[] = [];
  const buildWarnings: Warning[] = [];
  for (const a of aLevels) {
    const sup = await supplement(manual, a, {
      jobs,
      photoBox: { width: px(slot.width), height: px(slot.height) },
      typeset: (text) => textLines(measure, text),
      onFile: (p) => emit({ type: 'file', path: p }),
    });
    buildWarnings.push(...sup.warnings);
    const plans = organize(manual, a.indicator, sup.entries);
    const droppedHere = assessment.dropped.filter((d) => d.indicator && a.indicators.some((b) => b.indicator.code === d.indicator));
    const droppedSummary =
      droppedHere.length > 0
        ? `甄选时剔除 ${droppedHere.length} 个文件：${Object.entries(
            droppedHere.reduce<Record<string, number>>((m, d) => ({ ...m, [DROP_LABEL[d.reason]]: (m[DROP_LABEL[d.reason]] ?? 0) + 1 }), {}),
          )
            .map(([k, n]) => `${k} ${n} 个`)
            .join('，')}（明细见 report.json）。`
        : '';
    for (const plan of plans) {
      emit({ type: 'volume', code: a.indicator.code, title: a.indicator.title, index: plan.index, of: plan.of });
      const bound = await bindVolume({ manual, fonts, date, droppedSummary, version: VERSION }, plan);
      const base = `${folderName(a.indicator.code, a.indicator.title)}${plan.of > 1 ? ` 第${plan.index}卷` : ''}`;
      const name = `${base}.pdf`;
      if (formats.includes('pdf')) {
        await writeOutput(path.join(outDir, name), bound.bytes);
        written.push(name);
      }
      if (formats.includes('docx')) {
        const docx = await renderDocxVolume(bound.pages, date, pageRenderer?.render);
        await writeOutput(path.join(outDir, `${base}.docx`), docx.bytes);
        written.push(`${base}.docx`);
        if (docx.unrendered > 0) {
          buildWarnings.push({
            path: `${base}.docx`,
            code: 'not-converted',
            detail: `${docx.unrendered} 页证据原件未能转成图片（本机没有 poppler 的 pdftoppm），DOCX 中以说明页代替；PDF 案卷不受影响。安装 poppler-utils 后重新装订即可`,
          });
        }
      }
      volumes.push({ code: a.indicator.code, file: name, pages: plan.pages, items: plan.items });
      catalogue.push({
        name: name.replace(/\.pdf$/, ''),
        // the rows the volume's 目录 was drawn with
        rows: bound.pages.flatMap((pg) => (pg.kind === 'toc' ? pg.rows : [])).map((r, i) => {
          const seq = plan.entries[i]!.seq;
          return { ...r, archiveCode: seq !== undefined ? `${plan.archiveCode}-${String(seq).padStart(4, '0')}` : '' };
        }),
      });
      emit({ type: 'written', files: [name, `${base}.docx`].filter((f) => written.includes(f)), pages: plan.pages, items: plan.items });
    }
  }

  pageRenderer?.close();
  const full: Report = { ...buildReport(assessment), volumes };
  full.warnings = [...full.warnings, ...buildWarnings].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  full.summary.warnings = full.warnings.length;
  await writeOutput(path.join(outDir, '目录.xlsx'), await renderCatalogueXlsx(assessment, full, catalogue, date));
  written.push('目录.xlsx');
  await writeOutput(path.join(outDir, 'report.json'), JSON.stringify(full, null, 2) + '\n');
  written.push('report.json');
  await writeManifest(outDir, written);
  // --strict judges what was built: the gaps of these A-levels, and files that could not be bound
  const gapsHere = aLevels.reduce((n, a) => n + a.indicators.reduce((m, b) => m + b.requirements.filter((r) => !r.satisfied).length, 0), 0);
  const problems = gapsHere + buildWarnings.filter((w) => w.code === 'bind-failed' || w.code === 'not-converted').length;
  return { report: full, outDir, files: written, problems, seconds: (performance.now() - started) / 1000 };
}

/**
 * manifest-sha256.txt, BagIt style, written last: a build that stopped half-way leaves the old
 * manifest, which no longer matches. Files the previous manifest listed and this build did not
 * write (a volume no longer split, an A-level renamed) are removed — only those: the folder may hold
 * the user's own files.
 */
async function writeManifest(outDir: string, files: string[]): Promise<void> {
  const manifest = path.join(outDir, 'manifest-sha256.txt');
  const previous = await readFile(manifest, 'utf8').catch(() => '');
  const lines: string[] = [];
  for (const f of [...files].sort()) {
    const hash = createHash('sha256').update(await readFile(path.join(outDir, f))).digest('hex');
    lines.push(`${hash}  ${f}`);
  }
  const now = new Set(files);
  for (const line of previous.split('\n')) {
    const m = /^[0-9a-f]{64} {2}(.+)$/.exec(line);
    const old = m?.[1];
    if (old && !now.has(old) && !old.includes('/') && !old.includes('..')) await rm(path.join(outDir, old), { force: true });
  }
  await writeOutput(manifest, lines.join('\n') + '\n');
}
