// The validated manual (manual/schema.ts's data) as the pipeline uses it: defaults filled in, codes
// in NFC, font paths absolute. Shared by the loader (a manual from the cache) and the parser.
import path from 'node:path';
import { RETENTION_CODES, type ALevel, type Manual, type Requirement, type RetentionName } from '../model.js';
import type { ManualParsed } from './schema.js';

/** The validated manual as the pipeline uses it; `file` is its absolute path (fonts are relative to it). */
export function normalize(m: ManualParsed, file: string): Manual {
  const dir = path.dirname(file);
  const retention: RetentionName =
    m.retention === 'Y' ? '永久' : m.retention === 'D30' ? '定期30年' : m.retention === 'D10' ? '定期10年' : (m.retention ?? '永久');
  const fonts: Manual['fonts'] = {};
  for (const [k, v] of Object.entries(m.fonts ?? {})) {
    if (v) fonts[k as keyof Manual['fonts']] = path.resolve(dir, v);
  }
  const indicators: ALevel[] = m.indicators.map((a) => ({
    code: a.code.normalize('NFC'),
    title: a.title,
    owner: a.owner,
    score: a.score,
    indicators: a.indicators.map((b) => ({
      code: b.code.normalize('NFC'),
      title: b.title,
      owner: b.owner,
      due: b.due,
      score: b.score,
      method: b.method,
      standard: b.standard,
      requirements:
        b.evidence === undefined
          ? [{ title: '佐证材料', kind: 'any', match: [], min: 1 } satisfies Requirement]
          : b.evidence.map((r) => ({
              title: r.title,
              kind: r.kind,
              match: r.match === undefined ? [] : Array.isArray(r.match) ? r.match : [r.match],
              min: r.min,
            })),
    })),
  }));
  return {
    file,
    title: m.title,
    unit: m.unit,
    ...(m.unitShort ? { unitShort: m.unitShort } : {}),
    ...(m.filingNo ? { filingNo: m.filingNo } : {}),
    archiveStamp: m.archiveStamp ?? false,
    fonds: m.fonds,
    year: m.year ?? (m.period ? Number(m.period.to.slice(0, 4)) : undefined),
    period: m.period,
    retention,
    retentionCode: RETENTION_CODES[retention],
    checker: m.checker,
    exclude: m.exclude ?? [],
    volume: { maxPages: m.volume?.maxPages ?? 300, photosPerPage: m.volume?.photosPerPage ?? 1 },
    fonts,
    indicators,
  };
}
