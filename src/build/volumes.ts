// supplement → organize → layout: one A-level's volumes as page models, ready to be drawn. What the
// files are made into comes from the `makers` (the build's assets; tests give ones that measure);
// nothing here draws or writes.
import { typesetText } from '../layout/items.js';
import type { Measure } from '../layout/linebreak.js';
import type { Layout } from '../layout/template.js';
import { layoutVolume, type LaidOutVolume } from '../layout/volume.js';
import type { ALevelStatus, Manual, WarningDiag } from '../model.js';
import { organize, type VolumePlan } from '../pipeline/organize.js';
import { supplement, type Makers } from '../pipeline/supplement.js';

export interface PlanContext {
  manual: Manual;
  /** 立卷时间, YYYY-MM-DD */
  date: string;
  layout: Layout;
  measure: Measure;
  makers: Makers;
  /** files made at once */
  jobs: number;
  /** each file as its content is made */
  onFile?: (path: string) => void;
}

export interface PlannedVolume {
  /** the volume's entries, pages and 档号 */
  plan: VolumePlan;
  /** its pages as drawn */
  model: LaidOutVolume;
}

export interface PlannedVolumes {
  volumes: PlannedVolume[];
  /** what making the files' content found (files that could not be made, form values unshown, …) */
  warnings: WarningDiag[];
}

/** An A-level's volumes: its files made into content (supplement), ordered into volumes (organize), laid out. */
export async function planVolumes(a: ALevelStatus, ctx: PlanContext): Promise<PlannedVolumes> {
  const { manual, layout: L, measure } = ctx;
  const sup = await supplement(manual, a, {
    jobs: ctx.jobs,
    makers: ctx.makers,
    typeset: (text, title) => typesetText(L, measure, text, title),
    ...(ctx.onFile ? { onFile: ctx.onFile } : {}),
  });
  const volumes = organize(manual, a.indicator, sup.entries).map((plan) => ({ plan, model: layoutVolume(plan, { manual, date: ctx.date, measure, layout: L }) }));
  return { volumes, warnings: sup.warnings };
}
