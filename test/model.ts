// The page model of a project, made in-process: check, then build's planVolumes (supplement →
// organize → layout) with makers that measure instead of converting (documents are A4 pages, as many as the trailer says;
// photos keep their upright aspect). What the model decides is read here without drawing a page.
import { planVolumes } from '../src/build/volumes.js';
import { check } from '../src/check/index.js';
import { readText } from '../src/convert/text.js';
import { photoArea } from '../src/layout/items.js';
import type { Block, VolumePage } from '../src/layout/model.js';
import { layout } from '../src/layout/template.js';
import type { LaidOutVolume } from '../src/layout/volume.js';
import type { Assessment, EvidenceFile } from '../src/model.js';
import type { VolumePlan } from '../src/pipeline/organize.js';
import type { Makers } from '../src/pipeline/supplement.js';
import { FontSet, fontFiles } from '../src/render/fonts.js';
import { readRegularFile } from '../src/util/fsx.js';

export const A4 = { width: 595.28, height: 841.89 };

export function measuringMakers(box: { width: number; height: number }, sizes: Record<string, { width: number; height: number }[]> = {}): Makers {
  return {
    async pdfSizes(f: EvidenceFile) {
      return sizes[f.path] ?? Array.from({ length: f.pages ?? 1 }, () => A4);
    },
    async photoSize(f: EvidenceFile) {
      let w = f.width ?? 1600;
      let h = f.height ?? 1200;
      if ((f.orientation ?? 1) >= 5) [w, h] = [h, w];
      const s = Math.min(1, box.width / w, box.height / h);
      return { width: Math.round(w * s), height: Math.round(h * s) };
    },
    async text(f: EvidenceFile) {
      return readText(readRegularFile(f.abs, f.path, 1 << 24));
    },
    officeFailure: async () => undefined,
  };
}

export interface ProjectModel {
  assessment: Assessment;
  volumes: { code: string; plan: VolumePlan; model: LaidOutVolume }[];
}

let fontsOnce: Promise<FontSet> | undefined;

export async function projectModel(dir: string, opts: { date?: string; sizes?: Record<string, { width: number; height: number }[]> } = {}): Promise<ProjectModel> {
  const date = opts.date ?? '2024-05-20';
  const { assessment } = await check({ dir, today: date });
  const manual = assessment.manual;
  const L = layout();
  fontsOnce ??= FontSet.load(fontFiles({ ...manual, fonts: {} }));
  const fonts = Object.keys(manual.fonts).length > 0 ? await FontSet.load(fontFiles(manual)) : await fontsOnce;
  const area = photoArea(L, manual.volume.photosPerPage);
  const makers = measuringMakers({ width: (area.width / 72) * L.photo.dpi, height: (area.height / 72) * L.photo.dpi }, opts.sizes);
  const volumes: ProjectModel['volumes'] = [];
  for (const a of assessment.indicators) {
    const planned = await planVolumes(a, { manual, date, layout: L, measure: fonts.measure, makers, jobs: 2 });
    for (const v of planned.volumes) volumes.push({ code: a.indicator.code, ...v });
  }
  return { assessment, volumes };
}

/** Every line of text a page shows, in block order (table cells row by row). */
export function pageText(p: VolumePage): string[] {
  const out: string[] = [];
  const add = (b: Block) => {
    if (b.type === 'text') out.push(...b.lines);
    if (b.type === 'table') for (const r of b.rows) out.push(r.cells.map((c) => c.lines.join('')).join(' | '));
  };
  p.blocks.forEach(add);
  if (p.number) out.push(String(p.number.value));
  return out;
}

export const allText = (m: LaidOutVolume) => m.pages.flatMap(pageText).join('\n');
