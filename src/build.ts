// `build`: the whole pipeline — collect → select → supplement → organize → bind — one A-level at
// a time, so memory is bounded by one volume. Writes only inside the output folder, each file via a
// temporary name and a rename; the manifest is written last.
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { check, localToday, resolvePaths, UsageError, type CheckOptions } from './api.js';
import { isCalendarDate } from './manual/schema.js';
import type { ALevelStatus, Assessment, WarningDiag } from './model.js';
import { MANIFEST, OutputError, OutputFolder } from './output/folder.js';
import { uniqueNames } from './util/filename.js';
import { Workspace } from './util/workspace.js';
import { organize } from './pipeline/organize.js';
import { supplement } from './pipeline/supplement.js';
import { FontError, FontSet, fontFiles } from './render/fonts.js';
import { BuildAssets } from './assets.js';
import { photoArea, typesetText } from './layout/items.js';
import { layout } from './layout/template.js';
import { layoutVolume } from './layout/volume.js';
import { renderDocx } from './render/docx/render.js';
import { renderPdf } from './render/pdf/render.js';
import { buildReport, withWarningDetail, type Report, type VolumeReport } from './report/report.js';
import { renderCatalogueXlsx, type CatalogueSheet } from './report/xlsx.js';

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
  /** where the run's temporary folder goes (default: the system's) */
  tempDir?: string;
  /** the SOURCE_DATE_EPOCH value to honour when `date` is not given (the CLI passes the environment's) */
  sourceDateEpoch?: string;
  onProgress?: (e: BuildEvent) => void;
}

export interface BuildResult {
  report: Report;
  outDir: string;
  files: string[];
  /** outputs of an earlier build that this one would have removed, left because they were changed */
  leftAlone: string[];
  /** what --strict fails on: gaps, and files that could not be bound */
  problems: number;
  seconds: number;
}

export function buildDate(opts: { date?: string; sourceDateEpoch?: string; today?: () => string }): string {
  if (opts.date !== undefined) {
    if (!isCalendarDate(opts.date)) throw new UsageError(`--date 应为 YYYY-MM-DD 格式的日期，收到 "${opts.date}"`);
    return opts.date;
  }
  const sde = opts.sourceDateEpoch;
  if (sde !== undefined && sde !== '') {
    const secs = /^\d+$/.test(sde) ? Number(sde) : NaN;
    const d = new Date(secs * 1000);
    if (!Number.isSafeInteger(secs) || Number.isNaN(d.getTime()) || d.getUTCFullYear() > 9999) {
      throw new UsageError(`环境变量 SOURCE_DATE_EPOCH 应为 Unix 时间戳（自 1970-01-01 起的秒数，如 1716163200），收到 "${sde}"。请改正或删除它，或用 --date 指定立卷时间。`);
    }
    return d.toISOString().slice(0, 10);
  }
  return (opts.today ?? localToday)();
}

export async function build(opts: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const formats = opts.formats ?? ['pdf', 'docx'];
  if (formats.length === 0) throw new UsageError('--format 至少要有 pdf 或 docx 之一');
  const date = buildDate({ date: opts.date, sourceDateEpoch: opts.sourceDateEpoch });
  const paths = resolvePaths(opts);
  const outDir = path.resolve(opts.out ?? path.join(paths.dir, 'out'));
  // The output is guarded and locked before the (long) look at the evidence: a wrong --out or a
  // second build fails at once.
  let out: OutputFolder;
  try {
    out = OutputFolder.open(outDir, { evidence: paths.evidence });
  } catch (err) {
    if (err instanceof OutputError) throw new UsageError(err.message);
    throw err;
  }
  let ws: Workspace | undefined;
  try {
    const { assessment } = await check({ ...opts, today: opts.today ?? date });
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
    // Volume file names, unique over the whole manual (so `--only` does not change them).
    const allA = manual.indicators;
    const baseNames = new Map(uniqueNames(allA.map((a) => `${a.code} ${a.title}`)).map((n, i) => [allA[i]!.code, n]));
    out.assertWritable([
      'report.json', '目录.xlsx', MANIFEST,
      ...aLevels.flatMap((a) => formats.map((f) => `${baseNames.get(a.indicator.code)!}.${f}`)),
    ]);
    ws = Workspace.create(opts.tempDir ?? tmpdir());
    return await buildInto(out, ws, { opts, formats, date, assessment, aLevels, fonts, baseNames, started });
  } catch (err) {
    if (err instanceof OutputError) throw new UsageError(err.message);
    throw err;
  } finally {
    out.release();
    ws?.disposeSync();
  }
}

interface BuildRun {
  opts: BuildOptions;
  formats: ('pdf' | 'docx')[];
  date: string;
  assessment: Assessment;
  aLevels: ALevelStatus[];
  fonts: FontSet;
  baseNames: Map<string, string>;
  started: number;
}

async function buildInto(out: OutputFolder, ws: Workspace, run: BuildRun): Promise<BuildResult> {
  const { opts, formats, date, assessment, aLevels, fonts, baseNames, started } = run;
  const manual = assessment.manual;
  const jobs = Math.max(1, opts.jobs ?? availableParallelism());
  const L = layout();
  const area = photoArea(L, manual.volume.photosPerPage);
  const px = (pt: number) => Math.round((pt / 72) * L.photo.dpi);
  const measure = fonts.measure;
  const emit = opts.onProgress ?? (() => {});
  const docx = formats.includes('docx');
  const assets = new BuildAssets(ws, { photoBox: { width: px(area.width), height: px(area.height) }, pageImages: docx });
  emit({ type: 'start', volumes: aLevels.length, files: assessment.kept.length });
  // every office file of the build in one LibreOffice run
  await assets.convertOffice(aLevels.flatMap((a) => a.indicators.flatMap((b) => [...b.requirements.flatMap((r) => r.files), ...b.other])));

  const catalogue: CatalogueSheet[] = [];
  const volumes: VolumeReport[] = [];
  const buildWarnings: WarningDiag[] = [];
  for (const a of aLevels) {
    const sup = await supplement(manual, a, {
      jobs,
      makers: assets,
      typeset: (text) => typesetText(L, measure, text),
      onFile: (p) => emit({ type: 'file', path: p }),
    });
    buildWarnings.push(...sup.warnings);
    const plans = organize(manual, a.indicator, sup.entries);
    for (const plan of plans) {
      emit({ type: 'volume', code: a.indicator.code, title: a.indicator.title, index: plan.index, of: plan.of });
      const model = layoutVolume(plan, { manual, date, measure, layout: L });
      const base = `${baseNames.get(a.indicator.code)!}${plan.of > 1 ? ` 第${plan.index}卷` : ''}`;
      const names: string[] = [];
      if (formats.includes('pdf')) {
        let failures: { path: string; index: number; message: string }[] = [];
        await out.writeWith(`${base}.pdf`, async (sink) => {
          failures = (await renderPdf(model, fonts, assets, sink)).failures;
        });
        for (const f of failures) {
          buildWarnings.push({ path: f.path, code: 'bind-failed', params: { message: `第 ${f.index + 1} 页无法复制（${f.message}）` } });
        }
        names.push(`${base}.pdf`);
      }
      if (docx) {
        let unrendered = 0;
        await out.writeWith(`${base}.docx`, async (sink) => {
          unrendered = (await renderDocx(model, L, assets, sink)).unrendered;
        });
        names.push(`${base}.docx`);
        if (unrendered > 0) {
          const why = assets.renderFailure;
          buildWarnings.push({
            path: `${base}.docx`,
            code: 'not-converted',
            params: assets.hasPageRenderer ? { cause: 'page-render-failed', pages: unrendered, ...(why ? { message: why } : {}) } : { cause: 'no-page-renderer', pages: unrendered },
          });
        }
      }
      volumes.push({ code: a.indicator.code, file: names[0]!, pages: plan.pages, items: plan.items });
      catalogue.push({
        name: base,
        // the rows the volume's 目录 was printed with
        rows: model.toc.map((r, i) => {
          const seq = plan.entries[i]!.seq;
          return { ...r, archiveCode: seq !== undefined ? `${plan.archiveCode}-${String(seq).padStart(4, '0')}` : '' };
        }),
      });
      emit({ type: 'written', files: names, pages: plan.pages, items: plan.items });
    }
  }

  const full: Report = { ...buildReport(assessment), volumes };
  full.warnings = [...full.warnings, ...buildWarnings.map(withWarningDetail)].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  full.summary.warnings = full.warnings.length;
  await out.write('目录.xlsx', await renderCatalogueXlsx(assessment, full, catalogue, date));
  await out.write('report.json', JSON.stringify(full, null, 2) + '\n');
  const files = out.files;
  const { kept } = await out.finish();
  // --strict judges what was built: the gaps of these A-levels, and files that could not be bound
  const gapsHere = aLevels.reduce((n, a) => n + a.indicators.reduce((m, b) => m + b.requirements.filter((r) => !r.satisfied).length, 0), 0);
  const problems = gapsHere + buildWarnings.filter((w) => w.code === 'bind-failed' || w.code === 'not-converted').length;
  return { report: full, outDir: out.dir, files: [...files, MANIFEST], leftAlone: kept, problems, seconds: (performance.now() - started) / 1000 };
}
