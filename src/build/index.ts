// `build`: the whole pipeline, stage by stage — collect → select → (for each A-level) supplement →
// organize → bind — one A-level at a time, so memory is bounded by one volume. Writes only inside
// the output folder, each file via a temporary name and a rename; the manifest is written last.
import { realpathSync } from 'node:fs';
import { Cache } from '../cache/store.js';
import { ChuangchengError } from '../errors.js';
import { MAX_MANUAL_BYTES } from '../evidence/limits.js';
import type { ALevelStatus, Assessment } from '../model.js';
import { MANIFEST, OutputFolder } from '../output/folder.js';
import { assess } from '../pipeline/assess.js';
import { select } from '../pipeline/select.js';
import { collectProject, validateConsole } from '../project/index.js';
import { CATALOGUE, REPORT } from '../report/assemble.js';
import { planShards, SHARD_FILE } from '../shards/plan.js';
import { uniqueNames } from '../util/filename.js';
import { FileAccessError, readRegularFile } from '../util/fsx.js';
import { sha256 } from '../util/hash.js';
import { withConsole } from '../util/quiet.js';
import { Workspace } from '../util/workspace.js';
import { buildSettings } from './options.js';
import type { BuildOptions, BuildResult, BuildRun, BuildSettings, ShardRun } from './types.js';
import { planVolumes } from './volumes.js';
import { PhotosMeasuredOnce } from '../convert/photo-once.js';
import type { EvidenceFile } from '../model.js';

export type { BuildEvent, BuildOptions, BuildResult } from './types.js';
export { MIN_SOFFICE_MEMORY_MB } from './options.js';

export async function build(opts: BuildOptions = {}): Promise<BuildResult> {
  validateConsole(opts?.console);
  return withConsole(opts?.console, () => buildNow(opts));
}

async function buildNow(opts: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const settings = buildSettings(opts);
  const { paths } = settings;
  // The output is guarded and locked before the (long) look at the evidence: a wrong --out or a
  // second build fails at once. (A build that fails before writing anything takes away the
  // folders it made for the output: see OutputFolder.release.)
  const out = OutputFolder.open(settings.out, { command: 'build', evidence: [paths.evidence] });
  let ws: Workspace | undefined;
  const workspace = () => (ws ??= Workspace.create(settings.tempDir, settings.env));
  // one decode per photo: check measures the photos this build binds while preparing them for binding
  const once = new PhotosMeasuredOnce(() => workspace().sub('measured'));
  try {
    // collect → select: what check does (every file placed, kept or dropped; the gaps)
    const cache = settings.cacheDir ? new Cache(settings.cacheDir) : undefined;
    const { manual, collected } = await collectProject(paths, cache);
    // a shard's A-levels: the same plan in every shard, from what every checkout has (made once: it reads file sizes)
    const shardPlan = settings.shard ? planShards(manual, collected, settings.shard.of, paths.evidence).shards.map((s) => s.only) : undefined;
    const measure = once.measurer(manual, bound(settings, shardPlan));
    const selection = await select(manual, collected, { ...(cache ? { cache } : {}), evidenceKey: realpathSync(paths.evidence), measure });
    const assessment = assess(manual, paths.evidence, selection, settings.today);
    // the A-levels this build binds (--only, --shard) and their volumes' names
    const run = { ...scope(opts, settings, assessment, shardPlan, started), once };
    out.assertWritable([
      ...(run.shard ? [SHARD_FILE] : [REPORT, CATALOGUE]),
      MANIFEST,
      ...run.aLevels.flatMap((a) => settings.formats.map((f) => `${run.baseNames.get(a.indicator.code)!}.${f}`)),
    ]);
    // pdf-lib, sharp, fonts and the renderers are loaded only now: a build refused above answers at once
    const [{ Binding }, { bindVolume, volumeName }] = await Promise.all([import('./binding.js'), import('./bind.js')]);
    const binding = await Binding.open(out, workspace(), run);
    const emit = opts.onProgress ?? (() => {});
    try {
      for (const a of run.aLevels) {
        // volumes made from exactly these inputs, still in the output folder as written, are kept
        if (binding.reuse(a)) continue;
        // supplement → organize (→ the page models)
        const planned = await planVolumes(a, binding.planning);
        binding.prefetch(a);
        // bind
        const bound = [];
        for (const v of planned.volumes) {
          emit({ type: 'volume', code: a.indicator.code, title: a.indicator.title, index: v.plan.index, of: v.plan.of });
          const b = await bindVolume(v, volumeName(run.baseNames.get(a.indicator.code)!, v.plan), binding.drawing);
          emit({ type: 'written', files: b.files, pages: v.plan.pages, items: v.plan.items });
          bound.push(b);
        }
        binding.made(a, planned.warnings, bound);
      }
      // 目录.xlsx, report.json (a shard: shard.json), the manifest
      const result = await binding.finish();
      return run.shard ? { ...result, shard: { ...run.shard.spec, only: run.aLevels.map((a) => a.indicator.code) } } : result;
    } finally {
      await binding.settle();
    }
  } finally {
    out.release();
    ws?.disposeSync();
  }
}

/** Which photos this build binds (its A-levels: --only, --shard's plan): only those are prepared while measured. */
function bound(settings: BuildSettings, shardPlan: string[][] | undefined): (f: EvidenceFile) => boolean {
  const codes = settings.shard ? shardPlan![settings.shard.index - 1] : settings.only?.length ? settings.only : undefined;
  if (!codes) return () => true;
  const set = new Set(codes);
  return (f) => set.has(f.aCode);
}

/** The A-levels to build (all; those of --only; a shard's, by the plan) and every volume's file name. */
function scope(opts: BuildOptions, settings: BuildSettings, assessment: Assessment, shardPlan: string[][] | undefined, started: number): BuildRun {
  const manual = assessment.manual;
  let aLevels = assessment.indicators;
  const only = settings.only;
  if (only) {
    const known = new Set(aLevels.map((a) => a.indicator.code));
    const unknown = only.filter((c) => !known.has(c));
    if (unknown.length > 0) {
      throw new ChuangchengError('option-only-unknown', { option: 'only', unknown, known: [...known] });
    }
    aLevels = aLevels.filter((a) => only.includes(a.indicator.code));
  }
  // a shard: the A-levels the plan gives it
  let shard: ShardRun | undefined;
  if (settings.shard) {
    ({ aLevels, shard } = shardScope(settings, shardPlan!, aLevels));
  }
  // Volume file names, unique over the whole manual (so `--only` and `--shard` do not change them).
  const allA = manual.indicators;
  const baseNames = new Map(uniqueNames(allA.map((a) => `${a.code} ${a.title}`)).map((n, i) => [allA[i]!.code, n]));
  return { opts, settings, assessment, aLevels, baseNames, started, ...(shard ? { shard } : {}) };
}

function shardScope(settings: BuildSettings, plan: string[][], aLevels: ALevelStatus[]): { aLevels: ALevelStatus[]; shard: ShardRun } {
  const spec = settings.shard!;
  const { paths } = settings;
  const mine = new Set(plan[spec.index - 1]);
  let manualHash: string;
  try {
    manualHash = sha256(readRegularFile(paths.manual, paths.manual, MAX_MANUAL_BYTES));
  } catch (err) {
    throw new ChuangchengError('manual-gone', { file: paths.manual, detail: err instanceof FileAccessError ? err.detail : String(err) }, { cause: err });
  }
  return { aLevels: aLevels.filter((a) => mine.has(a.indicator.code)), shard: { spec, plan, manualHash } };
}
