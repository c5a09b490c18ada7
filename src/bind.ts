// The heavy half of `build`, loaded only once the output folder is guarded and locked: for each
// A-level, supplement → organize → layoutVolume → render the PDF and the DOCX, streamed into the
// output folder; then 目录.xlsx, report.json and the manifest.
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BuildEvent, BuildOptions, BuildResult } from './build.js';
import { BuildAssets } from './assets.js';
import { FileHashes } from './cache/hashes.js';
import { Cache, cacheKey } from './cache/store.js';
import { findSoffice, sofficeVersion } from './convert/office.js';
import { OFFICE_TYPES } from './evidence/filetype.js';
import { UsageError } from './errors.js';
import { evidenceArea, photoArea, typesetText } from './layout/items.js';
import { layout, type Layout } from './layout/template.js';
import { layoutVolume } from './layout/volume.js';
import type { ALevelStatus, Assessment, EvidenceFile, Manual, WarningDiag } from './model.js';
import { MANIFEST, type OutputFolder } from './output/folder.js';
import { organize, type VolumePlan } from './pipeline/organize.js';
import { supplement } from './pipeline/supplement.js';
import { renderDocx } from './render/docx/render.js';
import { FontError, FontSet, fontFiles } from './render/fonts.js';
import { fallbackFontFiles } from './render/fallback.js';
import { renderPdf } from './render/pdf/render.js';
import { reportParts, type Report, type VolumeReport } from './report/report.js';
import type { CatalogueSheet } from './report/xlsx.js';
import { asRecorded, assembleReport, writeAssembly, type Assembly, type BuiltPart } from './assemble.js';
import { evidenceState, SHARD_FILE, SHARD_FORMAT, SHARD_MARKER, type ShardRecord, type ShardSpec } from './shard.js';
import { VERSION } from './version.js';
import type { Workspace } from './util/workspace.js';
import type { PhotosMeasuredOnce } from './convert/photo-once.js';

export interface BuildRun {
  opts: BuildOptions;
  formats: ('pdf' | 'docx')[];
  date: string;
  jobs: number;
  assessment: Assessment;
  aLevels: ALevelStatus[];
  baseNames: Map<string, string>;
  started: number;
  /** a shard of a sharded build: shard.json is written instead of report.json and 目录.xlsx */
  shard?: ShardRun;
  /** photos prepared while check measured them, for binding to take */
  once?: PhotosMeasuredOnce;
}

export interface ShardRun {
  spec: ShardSpec;
  /** the A-level codes of every shard */
  plan: string[][];
  /** SHA-256 of the manual file */
  manualHash: string;
}

/** What a volume's files were made from and what the build reported of them: enough to keep them. */
interface VolumeRecord {
  /** output name → SHA-256 of the bytes written */
  files: Record<string, string>;
  volumes: VolumeReport[];
  catalogue: CatalogueSheet[];
  warnings: WarningDiag[];
  /** per volume file group: its names, items and pages (for progress) */
  written: { files: string[]; pages: number; items: number }[];
}

const VOLUMES = 'volume';

const filesOf = (a: ALevelStatus): EvidenceFile[] => a.indicators.flatMap((b) => [...b.requirements.flatMap((r) => r.files), ...b.other]);

/**
 * Everything an A-level's volumes are made from: the manual's settings and this A-level, what check
 * found, every file's content, the layout, the fonts, the date, the formats, the names, LibreOffice's
 * version when office files are bound. Undefined when a file's content cannot be read now (binding
 * will say why; such a volume is made again).
 */
function fingerprint(a: ALevelStatus, ctx: { manual: Manual; date: string; formats: string[]; name: string; layout: unknown; fonts: Record<string, string>; soffice: string | null | undefined; hash: (f: EvidenceFile) => string | undefined }): string | undefined {
  const shas: string[] = [];
  for (const f of filesOf(a)) {
    const sha = ctx.hash(f);
    if (!sha) return undefined;
    shas.push(`${f.path}\u0000${sha}`);
  }
  const fontIds = Object.entries(ctx.fonts).map(([role, file]) => {
    try {
      const st = statSync(file);
      return `${role}:${file}:${st.size}:${st.mtimeMs}`;
    } catch {
      return `${role}:${file}:?`;
    }
  });
  const office = filesOf(a).some((f) => OFFICE_TYPES.has(f.type));
  const soffice = office ? findSoffice(ctx.soffice) : null;
  return cacheKey(
    VOLUMES,
    JSON.stringify({ ...ctx.manual, indicators: [a.indicator] }),
    // (whether a gap is overdue depends on the day the build runs; it is not printed in the volume)
    JSON.stringify(a, (k, v: unknown) => (k === 'overdue' ? undefined : v)),
    shas.join('\u0001'),
    JSON.stringify(ctx.layout),
    fontIds.join(','),
    ctx.date,
    ctx.formats.join(','),
    ctx.name,
    soffice ? sofficeVersion(soffice) : office ? 'no-libreoffice' : '',
  );
}

export async function bindAll(out: OutputFolder, ws: Workspace, run: BuildRun): Promise<BuildResult> {
  const { opts, formats, date, jobs, assessment, aLevels, baseNames } = run;
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
  const cache = opts.cache ? new Cache(path.resolve(opts.cache)) : undefined;
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
        soffice: opts.soffice, hash: (f) => assets.hashOf(f),
      });
      if (!fp) continue;
      fingerprints.set(a.indicator.code, fp);
      const record = cache.getJson<VolumeRecord>(VOLUMES, fp);
      if (record && out.reuse(record.files)) kept.set(a.indicator.code, record);
    }
  }
  // every office file of the build in one LibreOffice run, running while photos are prepared, and
  // every photo prepared ahead of the volume that needs it
  const toMake = aLevels.filter((a) => !kept.has(a.indicator.code)).flatMap(filesOf);
  assets.startOffice(toMake);
  assets.prepareAhead(toMake, jobs);
  if (docx) assets.renderAhead(toMake);
  try {
    return await bindVolumes(out, run, { assets, cache, hashes, fonts, L, measure, emit, docx, kept, fingerprints });
  } finally {
    await assets.settle();
  }
}

interface BindContext {
  assets: BuildAssets;
  cache: Cache | undefined;
  hashes: FileHashes;
  fonts: FontSet;
  L: Layout;
  measure: FontSet['measure'];
  emit: (e: BuildEvent) => void;
  docx: boolean;
  kept: Map<string, VolumeRecord>;
  fingerprints: Map<string, string>;
}

/** Each A-level's volumes in turn (or kept as they are), then 目录.xlsx, report.json and the manifest. */
async function bindVolumes(out: OutputFolder, run: BuildRun, ctx: BindContext): Promise<BuildResult> {
  const { formats, date, jobs, assessment, aLevels, baseNames, started } = run;
  const { assets, cache, hashes, fonts, L, measure, emit, docx, kept, fingerprints } = ctx;
  const manual = assessment.manual;
  // what binding made of each A-level: its volumes, their 目录 rows, its warnings
  const built = new Map<string, BuiltPart>();
  const buildWarnings: WarningDiag[] = [];
  let reused = 0;
  for (const a of aLevels) {
    const record = kept.get(a.indicator.code);
    if (record) {
      reused += record.volumes.length;
      built.set(a.indicator.code, { volumes: record.volumes, catalogue: record.catalogue, warnings: record.warnings });
      buildWarnings.push(...record.warnings);
      for (const w of record.written) emit({ type: 'written', ...w, reused: true });
      continue;
    }
    const made: VolumeRecord = { files: {}, volumes: [], catalogue: [], warnings: [], written: [] };
    const warningsBefore = buildWarnings.length;
    const sup = await supplement(manual, a, {
      jobs,
      makers: assets,
      typeset: (text, title) => typesetText(L, measure, text, title),
      onFile: (p) => emit({ type: 'file', path: p }),
    });
    buildWarnings.push(...sup.warnings);
    // the DOCX's page images drawn by poppler while the PDF is written
    if (docx) assets.prefetchPages(filesOf(a).map((f) => f.path));
    const plans = organize(manual, a.indicator, sup.entries);
    for (const plan of plans) {
      emit({ type: 'volume', code: a.indicator.code, title: a.indicator.title, index: plan.index, of: plan.of });
      const model = layoutVolume(plan, { manual, date, measure, layout: L });
      const base = `${baseNames.get(a.indicator.code)!}${plan.of > 1 ? ` 第${plan.index}卷` : ''}`;
      const names: string[] = [];
      if (formats.includes('pdf')) {
        let failures: { path: string; index: number; message: string }[] = [];
        let missing: { text: string; code: string; pages: number[] }[] = [];
        await out.writeWith(`${base}.pdf`, async (sink) => {
          ({ failures, missing } = await renderPdf(model, fonts, assets, sink, { notice: L.notice.style }));
        });
        // one warning per file, naming its pages (each has a notice printed in its place)
        const byFile = new Map<string, { message: string; pages: number[] }>();
        for (const f of failures) {
          const seen = byFile.get(f.path);
          if (seen) seen.pages.push(f.index + 1);
          else byFile.set(f.path, { message: f.message, pages: [f.index + 1] });
        }
        for (const [p, f] of byFile) buildWarnings.push({ path: p, code: 'bind-failed', params: { message: f.message, pages: f.pages } });
        if (missing.length > 0) {
          // characters no font has, drawn as boxes: which, on which pages, and the files whose names hold them
          const pages = [...new Set(missing.flatMap((m) => m.pages))].sort((x, y) => x - y);
          buildWarnings.push({
            path: `${base}.pdf`,
            code: 'missing-glyph',
            params: {
              chars: missing.map((m) => ({ text: m.text, code: m.code })),
              pages: pages.map((i) => i + 1),
              places: [...new Set(pages.map((i) => model.pages[i]!.kind))],
              files: filesHolding(plan, missing.map((m) => m.text)),
            },
          });
        }
        names.push(`${base}.pdf`);
      }
      if (docx) {
        let unrendered = 0;
        await out.writeWith(`${base}.docx`, async (sink) => {
          unrendered = (await renderDocx(model, L, assets, sink, { fang: manual.fonts.fang ? '仿宋' : '宋体', fonts })).unrendered;
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
      made.volumes.push({ code: a.indicator.code, file: names[0]!, pages: plan.pages, items: plan.items });
      made.catalogue.push({
        name: base,
        // the rows the volume's 目录 was printed with
        rows: model.toc.map((r, i) => {
          const seq = plan.entries[i]!.seq;
          return { ...r, archiveCode: seq !== undefined ? `${plan.archiveCode}-${String(seq).padStart(4, '0')}` : '' };
        }),
      });
      made.written.push({ files: names, pages: plan.pages, items: plan.items });
      emit({ type: 'written', files: names, pages: plan.pages, items: plan.items });
    }
    made.warnings = buildWarnings.slice(warningsBefore);
    built.set(a.indicator.code, { volumes: made.volumes, catalogue: made.catalogue, warnings: made.warnings });
    const fp = fingerprints.get(a.indicator.code);
    // a volume made without a tool it needed (LibreOffice, poppler) is made again next time
    if (cache && fp && !made.warnings.some((w) => w.code === 'not-converted')) {
      for (const w of made.written) for (const name of w.files) made.files[name] = out.hashOf(name)!;
      cache.putJson(VOLUMES, fp, made);
    }
  }
  // A shard records the state of the whole evidence folder (merge checks that all shards saw the
  // same), and the content hash of each of its files: `reused` is found over all shards from them.
  const state = run.shard ? await evidenceState(assessment.evidenceDir, hashes) : undefined;
  hashes.save();
  const own = new Set(aLevels.map((a) => a.indicator.code));
  const ids = new Map(state?.files);
  const parts = reportParts(assessment, state ? (f) => (own.has(f.aCode) ? ids.get(f.path) : undefined) : undefined);
  // report.json and 目录.xlsx are made from the data a shard records, as merge reads it back
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
  const problems = gapsHere + buildWarnings.filter((w) => w.code === 'bind-failed' || w.code === 'not-converted').length;
  return { report: full, outDir: out.dir, files: [...files, MANIFEST], leftAlone, reused, gaps: gapsHere, problems, seconds: (performance.now() - started) / 1000 };
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
