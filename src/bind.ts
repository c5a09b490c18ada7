// The heavy half of `build`, loaded only once the output folder is guarded and locked: for each
// A-level, supplement → organize → layoutVolume → render the PDF and the DOCX, streamed into the
// output folder; then 目录.xlsx, report.json and the manifest.
import { realpathSync } from 'node:fs';
import type { BuildOptions, BuildResult } from './build.js';
import { BuildAssets } from './assets.js';
import { UsageError } from './errors.js';
import { photoArea, typesetText } from './layout/items.js';
import { layout } from './layout/template.js';
import { layoutVolume } from './layout/volume.js';
import type { ALevelStatus, Assessment, WarningDiag } from './model.js';
import { MANIFEST, type OutputFolder } from './output/folder.js';
import { organize } from './pipeline/organize.js';
import { supplement } from './pipeline/supplement.js';
import { renderDocx } from './render/docx/render.js';
import { FontError, FontSet, fontFiles } from './render/fonts.js';
import { renderPdf } from './render/pdf/render.js';
import { buildReport, withWarningDetail, type Report, type VolumeReport } from './report/report.js';
import { renderCatalogueXlsx, type CatalogueSheet } from './report/xlsx.js';
import type { Workspace } from './util/workspace.js';

export interface BuildRun {
  opts: BuildOptions;
  formats: ('pdf' | 'docx')[];
  date: string;
  jobs: number;
  assessment: Assessment;
  aLevels: ALevelStatus[];
  baseNames: Map<string, string>;
  started: number;
}

export async function bindAll(out: OutputFolder, ws: Workspace, run: BuildRun): Promise<BuildResult> {
  const { opts, formats, date, jobs, assessment, aLevels, baseNames, started } = run;
  const manual = assessment.manual;
  let fonts: FontSet;
  try {
    fonts = await FontSet.load(fontFiles(manual));
  } catch (err) {
    if (err instanceof FontError) throw new UsageError(err.message);
    throw err;
  }
  const L = layout();
  const area = photoArea(L, manual.volume.photosPerPage);
  const px = (pt: number) => Math.round((pt / 72) * L.photo.dpi);
  const measure = fonts.measure;
  const emit = opts.onProgress ?? (() => {});
  const docx = formats.includes('docx');
  // what binding reads must still lie in the evidence folder, however its paths changed since check
  let evidenceRoot: Buffer | undefined;
  try {
    evidenceRoot = realpathSync(assessment.evidenceDir, { encoding: 'buffer' });
  } catch {
    // the folder itself is gone: every read below fails and says so
  }
  const assets = new BuildAssets(ws, {
    photoBox: { width: px(area.width), height: px(area.height) },
    pageImages: docx,
    soffice: opts.soffice,
    sofficeTimeout: opts.sofficeTimeout,
    ...(evidenceRoot ? { evidenceRoot } : {}),
  });
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
      typeset: (text, title) => typesetText(L, measure, text, title),
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
          unrendered = (await renderDocx(model, L, assets, sink, { fang: manual.fonts.fang ? '仿宋' : '宋体' })).unrendered;
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
