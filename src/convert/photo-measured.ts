// A photo prepared for its page and measured from the same decode: what a cold `build` does, so that
// each photo is decoded once (issue 19). The prepared bytes are those preparePhoto makes (the same
// plan and encoding, convert/photo.ts); the measures are taken on the canonical thumbnail
// (evidence/quality.ts) made by downscaling the prepared pixels, where `check` makes it from its own
// small decode. A photo that is passed through as it is (a JPEG that already fits) is not decoded
// to be prepared: it is measured as `check` measures it, which is then its one decode. A photo
// prepared smaller than the thumbnail is measured apart (see prepareAndMeasure).
import sharp, { type Sharp } from 'sharp';
import type { EvidenceFile, Manual } from '../model.js';
import { canonicalSize, measureCanonical, measurePhoto, UndecodableError, type Canonical, type PhotoFacts } from '../evidence/quality.js';
import { photoArea } from '../layout/items.js';
import { layout } from '../layout/template.js';
import { decodePhoto, encodePrepared, planPreparation, preparePhoto, type PreparedPhoto } from './photo.js';

export interface MeasuredPhoto {
  photo: PreparedPhoto;
  facts: PhotoFacts;
  /**
   * how it was decoded: 'once' (prepared and measured from one decode), 'measured' (passed through as
   * it is: only check's decode, to measure it), 'twice' (prepared, and measured apart)
   */
  decoded: 'once' | 'measured' | 'twice';
}

/** The box (pixels) photos of this manual are prepared for: its photo area at the layout's dpi (as binding prepares them). */
export function photoBoxFor(manual: Manual): { width: number; height: number } {
  const L = layout();
  const area = photoArea(L, manual.volume.photosPerPage);
  const px = (pt: number) => Math.round((pt / 72) * L.photo.dpi);
  return { width: px(area.width), height: px(area.height) };
}

/**
 * Prepare a photo for a box of maxWidthPx × maxHeightPx pixels and measure it, from one decode. The
 * decoder is strict first, as in `check`: a photo that passes is whole; one that does not is decoded
 * again tolerantly (`facts.damage` says what its complaint was) and never passed through. What cannot
 * be decoded at all throws an UndecodableError (check drops it).
 *
 * Measured apart (check's own small decode: a second decode) are the photos whose prepared pixels
 * cannot give the canonical thumbnail: one prepared smaller than the thumbnail (a portrait photo two
 * or four to a page: its box is 471 pixels high, the thumbnail 512), a damaged one that would have
 * been passed through, and any whose pixels are not 8 bits a sample.
 */
export async function prepareAndMeasure(file: EvidenceFile, maxWidthPx: number, maxHeightPx: number, bytes: Buffer): Promise<MeasuredPhoto> {
  let decoded;
  try {
    decoded = await decodePhoto(
      file,
      bytes,
      async (opened): Promise<Prepared> => {
        // (whether the photo is damaged is not known before its decode: a pass-through is measured below)
        const plan = planPreparation(opened, bytes, { damaged: false }, maxWidthPx, maxHeightPx);
        if ('as' in plan) return { kind: 'passed', photo: plan.as };
        const size = canonicalSize(opened.w, opened.h);
        const prepared = (encoded: Buffer): PreparedPhoto => ({ bytes: new Uint8Array(encoded), format: plan.lossless ? 'png' : 'jpg', width: plan.width, height: plan.height });
        if (plan.width < size.width || plan.height < size.height) return { kind: 'apart', photo: prepared(await encodePrepared(plan.pipeline, plan.lossless)) };
        if (plan.lossless) {
          // PNG: encoded from the pipeline itself, as preparePhoto encodes it (its pHYs chunk carries the
          // file's resolution, which raw pixels lose); decoding it again costs a fraction of encoding it,
          // and gives back exactly the pixels encoded
          const encoded = await encodePrepared(plan.pipeline, true);
          return { kind: 'thumbnail', photo: prepared(encoded), canonical: await thumbnail(sharp(encoded), size), pages: opened.pages };
        }
        const { data, info } = await plan.pipeline.raw().toBuffer({ resolveWithObject: true });
        const raw = { width: info.width, height: info.height, channels: info.channels };
        if (data.length !== raw.width * raw.height * raw.channels) return { kind: 'apart', photo: prepared(await encodePrepared(plan.pipeline, false)) };
        // JPEG: sharp writes none of the file's resolution into it, so the raw pixels encode to the same bytes
        const photo = prepared(await encodePrepared(sharp(data, { raw }), false));
        const canonical = size.width === raw.width && size.height === raw.height ? { data, ...raw } : await thumbnail(sharp(data, { raw }), size);
        return { kind: 'thumbnail', photo, canonical, pages: opened.pages };
      },
      true,
    );
  } catch (err) {
    throw new UndecodableError(err);
  }
  const v = decoded.value;
  if (v.kind === 'thumbnail') return { photo: v.photo, facts: measureCanonical(v.canonical, { type: file.type, pages: v.pages, damage: decoded.damage }), decoded: 'once' };
  const facts = await measurePhoto(file, bytes);
  if (v.kind === 'apart') return { photo: v.photo, facts, decoded: 'twice' };
  if (!facts.damage) return { photo: v.photo, facts, decoded: 'measured' };
  // damaged: never passed through; decoded as a viewer shows it and encoded anew (rare)
  return { photo: await preparePhoto({ ...file, damaged: true }, maxWidthPx, maxHeightPx, undefined, bytes), facts, decoded: 'twice' };
}

type Prepared = { kind: 'passed'; photo: PreparedPhoto } | { kind: 'apart'; photo: PreparedPhoto } | { kind: 'thumbnail'; photo: PreparedPhoto; canonical: Canonical; pages: number };

/** The canonical thumbnail (`size`, from canonicalSize) of prepared pixels, which are at least that large. */
async function thumbnail(img: Sharp, size: { width: number; height: number }): Promise<Canonical> {
  const { data, info } = await img.resize(size.width, size.height, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}
