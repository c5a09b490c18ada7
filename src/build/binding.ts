// What binding needs besides the page models, set up once the output folder is guarded and locked
// (this module loads pdf-lib, sharp, the fonts and the renderers): the fonts, the layout, the assets
// (office files converted, photos prepared and page images drawn ahead of the volumes that need
// them), the volumes kept from the last build; and, once every A-level is bound, 目录.xlsx and
// report.json (a shard: shard.json) and the manifest.
import { realpathSync } from 'node:fs';
import { BuildAssets } from './assets/index.js';
import { FileHashes } from '../cache/hashes.js';
import { Cache } from '../cache/store.js';
import { evidenceArea, photoArea } from '../layout/items.js';
import { layout, type Layout } from '../layout/template.js';
import type { ALevelStatus, WarningDiag } from '../model.js';
import { MANIFEST, type OutputFolder } from '../output/folder.js';
import { FontSet, fontFiles } from '../render/fonts.js';
import { fallbackFontFiles } from '../render/fallback.js';
import { reportParts, type Report } from '../report/report.js';
import { asRecorded, assembleReport, writeAssembly, type Assembly, type BuiltPart } from '../report/assemble.js';
import { evidenceState, SHARD_FILE, SHARD_FORMAT, SHARD_MARKER, type ShardRecord } from '../shards/plan.js';
import { VERSION } from '../version.js';
import type { Workspace } from '../util/workspace.js';
import type { BindContext, BoundVolume } from './bind.js';
import { filesOf, fingerprint, keptVolumes, rememberVolumes, type VolumeRecord } from './reuse.js';
import type { BuildEvent, BuildResult, BuildRun } from './types.js';
import type { PlanContext } from './volumes.js';

export class Binding {
  /** what supplement, organize and layout are given */
  readonly planning: PlanContext;
  /** what bind is given */
  readonly drawing: BindContext;
  /** what binding made of each A-level: its volumes, their 目录 rows, its warnings */
  private readonly built = new Map<string, BuiltPart>();
  private readonly warnings: WarningDiag[] = [];
  private reused = 0;

  private constructor(
    private readonly out: OutputFolder,
    private readonly run: BuildRun,
    private readonly assets: BuildAssets,
    private readonly cache: Cache | undefined,
    private readonly hashes: FileHashes,
    fonts: FontSet,
    L: Layout,
    private readonly emit: (e: BuildEvent) => void,
    /** A-level code → the fingerprint of what its volumes are made from */
    private readonly fingerprints: Map<string, string>,
    /** A-level code → its volumes kept from the last build */
    private readonly kept: Map<string, VolumeRecord>,
  ) {
    const { settings, assessment } = run;
    const manual = assessment.manual;
    this.planning = { manual, date: settings.date, layout: L, measure: fonts.measure, makers: assets, jobs: settings.jobs, onFile: (p) => emit({ type: 'file', path: p }) };
    this.drawing = { out, manual, layout: L, fonts, assets, formats: settings.formats };
  }

  static async open(out: OutputFolder, ws: Workspace, run: BuildRun): Promise<Binding> {
    const { opts, settings, assessment, aLevels, baseNames } = run;
    const { formats, date, jobs } = settings;
    const manual = assessment.manual;
    const fonts = await FontSet.load(fontFiles(manual));
    const L = layout();
    const area = photoArea(L, manual.volume.photosPerPage);
    const px = (pt: number) => Math.round((pt / 72) * L.photo.dpi);
    const emit = opts.onProgress ?? (() => {});
    const docx = formats.includes('docx');
    // what binding reads must still lie in the evidence folder, however its paths changed since check
    let evidenceRoot: Buffer | undefined;
    try {
      evidenceRoot = realpathSync(assessment.evidenceDir, { encoding: 'buffer' });
    } catch {
      // the folder itself is gone: every read below fails and says so
    }
    const cache = settings.cacheDir ? new Cache(settings.cacheDir) : undefined;
    const hashes = new FileHashes(cache, evidenceRoot ? evidenceRoot.toString('utf8') : assessment.evidenceDir);
    const assets = new BuildAssets(ws, {
      photoBox: { width: px(area.width), height: px(area.height) },
      scanBox: { ...evidenceArea(L), dpi: L.photo.dpi },
      pageImages: docx,
      soffice: opts.soffice,
      sofficeTimeout: opts.sofficeTimeout,
      sofficeMemoryMB: opts.sofficeMemoryMB,
      ...(evidenceRoot ? { evidenceRoot } : {}),
      cache,
      hashes,
      ...(run.once ? { once: run.once } : {}),
    });
    emit({ type: 'start', volumes: aLevels.length, files: aLevels.reduce((n, a) => n + filesOf(a).length, 0) });

    // A-levels whose volumes were made from exactly these inputs, and are still in the output folder
    // as we wrote them, are kept as they are.
    const fingerprints = new Map<string, string>();
    const kept = new Map<string, VolumeRecord>();
    if (cache) {
      for (const a of aLevels) {
        const fp = fingerprint(a, {
          manual, date, formats, name: baseNames.get(a.indicator.code)!, layout: L, fonts: { ...fontFiles(manual), ...Object.fromEntries(fallbackFontFiles().map((f, i) => [`fallback${i}`, f])) },
          soffice: opts.soffice, env: ws.env, hash: (f) => assets.hashOf(f),
        });
        if (!fp) continue;
        fingerprints.set(a.indicator.code, fp);
        const record = keptVolumes(cache, out, fp);
        if (record) kept.set(a.indicator.code, record);
      }
    }
    // every office file of the build in one LibreOffice run, running while photos are prepared, and
    // every photo prepared ahead of the volume that needs it
    const toMake = aLevels.filter((a) => !kept.has(a.indicator.code)).flatMap(filesOf);
    assets.startOffice(toMake);
    assets.prepareAhead(toMake, jobs);
    if (docx) assets.renderAhead(toMake);
    return new Binding(out, run, assets, cache, hashes, fonts, L, emit, fingerprints, kept);
  }

  /** Keep the A-level's volumes from the last build when nothing they are made from changed. */
  reuse(a: ALevelStatus): boolean {
    const record = this.kept.get(a.indicator.code);
    if (!record) return false;
    this.reused += record.volumes.length;
    this.built.set(a.indicator.code, { volumes: record.volumes, catalogue: record.catalogue, warnings: record.warnings });
    this.warnings.push(...record.warnings);
    for (const w of record.written) this.emit({ type: 'written', ...w, reused: true });
    return true;
  }

  /** The DOCX's page images of the A-level drawn by poppler while its PDF is written. */
  prefetch(a: ALevelStatus): void {
    if (this.run.settings.formats.includes('docx')) this.assets.prefetchPages(filesOf(a).map((f) => f.path));
  }

  /** What binding made of the A-level: `warnings` from making its files' content, then its volumes'. */
  made(a: ALevelStatus, warnings: WarningDiag[], volumes: BoundVolume[]): void {
    const made: VolumeRecord = {
      files: {},
      volumes: volumes.map((v) => v.report),
      catalogue: volumes.map((v) => v.sheet),
      warnings: [...warnings, ...volumes.flatMap((v) => v.warnings)],
      written: volumes.map((v) => ({ files: v.files, pages: v.report.pages, items: v.report.items })),
    };
    this.warnings.push(...made.warnings);
    this.built.set(a.indicator.code, { volumes: made.volumes, catalogue: made.catalogue, warnings: made.warnings });
    const fp = this.fingerprints.get(a.indicator.code);
    // a volume made without a tool it needed (LibreOffice, poppler) is made again next time
    if (this.cache && fp && !made.warnings.some((w) => w.code === 'not-converted')) rememberVolumes(this.cache, this.out, fp, made);
  }

  /** 目录.xlsx and report.json (a shard: shard.json), then the manifest: the build's result. */
  async finish(): Promise<BuildResult> {
    const { out, run, hashes, cache } = this;
    const { settings, assessment, aLevels, started } = run;
    const { date, formats } = settings;
    const manual = assessment.manual;
    // A shard records the state of the whole evidence folder (merge checks that all shards saw the
    // same), and the content hash of each of its files: `reused` is found over all shards from them.
    const state = run.shard ? await evidenceState(assessment.evidenceDir, hashes) : undefined;
    hashes.save();
    const own = new Set(aLevels.map((a) => a.indicator.code));
    const ids = new Map(state?.files);
    const parts = reportParts(assessment, state ? (f) => (own.has(f.aCode) ? ids.get(f.path) : undefined) : undefined);
    // report.json and 目录.xlsx are made from the data a shard records, as merge reads it back
    const built = this.built;
    const assembly: Assembly = asRecorded({ ...parts, aLevels: parts.aLevels.map((p) => (built.has(p.code) ? { ...p, built: built.get(p.code)! } : p)) });
    let full: Report;
    if (run.shard) {
      // the report as this shard sees the folder: printed, not written (merge writes the whole one)
      full = assembleReport(assembly);
      const record: ShardRecord = {
        kind: SHARD_MARKER,
        format: SHARD_FORMAT,
        version: VERSION,
        shard: run.shard.spec,
        plan: run.shard.plan,
        order: manual.indicators.map((a) => a.code),
        manual: run.shard.manualHash,
        evidence: state!,
        date,
        today: assessment.today,
        formats,
        header: assembly.header,
        global: assembly.global,
        aLevels: assembly.aLevels.filter((p) => own.has(p.code)),
        files: Object.fromEntries(out.files.sort().map((n) => [n, out.hashOf(n)!])),
      };
      await out.write(SHARD_FILE, JSON.stringify(record) + '\n');
    } else {
      full = await writeAssembly(out, assembly, date);
    }
    const files = out.files;
    const { kept: leftAlone } = await out.finish();
    cache?.evict();
    // --strict judges what was built: the gaps of these A-levels, and files that could not be bound
    const gapsHere = aLevels.reduce((n, a) => n + a.indicators.reduce((m, b) => m + b.requirements.filter((r) => !r.satisfied).length, 0), 0);
    const problems = gapsHere + this.warnings.filter((w) => w.code === 'bind-failed' || w.code === 'not-converted').length;
    return { report: full, outDir: out.dir, files: [...files, MANIFEST], leftAlone, reused: this.reused, gaps: gapsHere, problems, seconds: (performance.now() - started) / 1000 };
  }

  /** Start nothing more, and wait for what is under way: the run's temporary folder can then go. */
  settle(): Promise<void> {
    return this.assets.settle();
  }
}
