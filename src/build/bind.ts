// bind: one volume's page model drawn into its PDF and DOCX, each streamed into the output folder
// (a temporary name, then a rename). What could not be drawn comes back as warnings.
import type { BuildAssets } from './assets/index.js';
import type { Layout } from '../layout/template.js';
import type { Manual, WarningDiag } from '../model.js';
import type { OutputFolder } from '../output/folder.js';
import type { VolumePlan } from '../pipeline/organize.js';
import { renderDocx } from '../render/docx/render.js';
import type { FontSet } from '../render/fonts.js';
import { renderPdf } from '../render/pdf/render.js';
import type { VolumeReport } from '../report/report.js';
import type { CatalogueSheet } from '../report/xlsx.js';
import type { PlannedVolume } from './volumes.js';

export interface BindContext {
  out: OutputFolder;
  manual: Manual;
  layout: Layout;
  fonts: FontSet;
  assets: BuildAssets;
  formats: ('pdf' | 'docx')[];
}

export interface BoundVolume {
  /** the files written, PDF first */
  files: string[];
  warnings: WarningDiag[];
  /** the volume as report.json lists it */
  report: VolumeReport;
  /** its 卷内目录 as 目录.xlsx has it */
  sheet: CatalogueSheet;
}

/** A volume's file name without extension: the A-level's, and 第N卷 when it has several. */
export function volumeName(baseName: string, plan: VolumePlan): string {
  return `${baseName}${plan.of > 1 ? ` 第${plan.index}卷` : ''}`;
}

/** Draw the volume: `<name>.pdf` and `<name>.docx`, as the formats ask. */
export async function bindVolume({ plan, model }: PlannedVolume, name: string, ctx: BindContext): Promise<BoundVolume> {
  const { out, fonts, assets, formats } = ctx;
  const warnings: WarningDiag[] = [];
  const names: string[] = [];
  if (formats.includes('pdf')) {
    let failures: { path: string; index: number; message: string }[] = [];
    let missing: { text: string; code: string; pages: number[] }[] = [];
    await out.writeWith(`${name}.pdf`, async (sink) => {
      ({ failures, missing } = await renderPdf(model, fonts, assets, sink));
    });
    // one warning per file, naming its pages (each has a notice printed in its place)
    const byFile = new Map<string, { message: string; pages: number[] }>();
    for (const f of failures) {
      const seen = byFile.get(f.path);
      if (seen) seen.pages.push(f.index + 1);
      else byFile.set(f.path, { message: f.message, pages: [f.index + 1] });
    }
    for (const [p, f] of byFile) warnings.push({ path: p, code: 'bind-failed', params: { message: f.message, pages: f.pages } });
    if (missing.length > 0) {
      // characters no font has, drawn as boxes: which, on which pages, and the files whose names hold them
      const pages = [...new Set(missing.flatMap((m) => m.pages))].sort((x, y) => x - y);
      warnings.push({
        path: `${name}.pdf`,
        code: 'missing-glyph',
        params: {
          chars: missing.map((m) => ({ text: m.text, code: m.code })),
          pages: pages.map((i) => i + 1),
          places: [...new Set(pages.map((i) => model.pages[i]!.kind))],
          files: filesHolding(plan, missing.map((m) => m.text)),
        },
      });
    }
    names.push(`${name}.pdf`);
  }
  if (formats.includes('docx')) {
    let unrendered = 0;
    await out.writeWith(`${name}.docx`, async (sink) => {
      unrendered = (await renderDocx(model, assets, sink, { fonts })).unrendered;
    });
    names.push(`${name}.docx`);
    if (unrendered > 0) {
      const why = assets.renderFailure;
      warnings.push({
        path: `${name}.docx`,
        code: 'not-converted',
        params: assets.hasPageRenderer ? { cause: 'page-render-failed', pages: unrendered, ...(why ? { message: why } : {}) } : { cause: 'no-page-renderer', pages: unrendered },
      });
    }
  }
  return {
    files: names,
    warnings,
    report: { code: plan.a.code, file: names[0]!, pages: plan.pages, items: plan.items },
    sheet: {
      name,
      // the rows the volume's 目录 was printed with
      rows: model.toc.map((r, i) => {
        const seq = plan.entries[i]!.seq;
        return { ...r, archiveCode: seq !== undefined ? `${plan.archiveCode}-${String(seq).padStart(4, '0')}` : '' };
      }),
    },
  };
}

/** The evidence files of a volume whose name, sidecar facts or text hold one of `texts`. */
function filesHolding(plan: VolumePlan, texts: string[]): string[] {
  const out = new Set<string>();
  const holds = (s: string) => texts.some((t) => s.includes(t) || s.normalize('NFC').includes(t));
  for (const { entry } of plan.entries) {
    if (entry.type !== 'item') continue;
    for (const f of entry.item.files) {
      if (holds(f.path) || Object.values(f.meta).some((v) => typeof v === 'string' && holds(v))) out.add(f.path);
    }
    for (const c of entry.item.content) if (c.kind === 'text' && c.chunks.some((chunk) => chunk.some(holds))) out.add(c.file.path);
  }
  return [...out];
}
