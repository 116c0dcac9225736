// What the worker extracts from the photos: capture measures, barcodes, MRZ and printed text per
// side. No judgement here: the caller turns a scan into a DocumentReading.
import sharp from 'sharp';
import { CAPTURE_THRESHOLDS, measureCapture } from './capture-quality.ts';
import type { CaptureMeasures } from './capture-quality.ts';
import { deskew } from './deskew.ts';
import { readMrzFromImage, readPrintedText } from './mrz-reader.ts';
import type { MrzImageOutcome, RecognizeText } from './mrz-reader.ts';
import { decodePdf417 } from './pdf417-decoder.ts';
import type { Pdf417Outcome } from './pdf417-decoder.ts';

export interface SideScan {
  /** Null when the bytes are not an image. */
  measures: CaptureMeasures | null;
  pdf417: Pdf417Outcome | null;
  mrz: MrzImageOutcome | null;
  printedText: string[];
}

export interface DocumentScan {
  front: SideScan;
  back: SideScan | null;
}

const MEASURE_WIDTH = 1000;
/**
 * OCR and barcode work happen on at most this long side: PaddleOCR's detector takes ~6.7 s on a
 * 12-megapixel phone photo here and ~1.6 s at 2000 px, while a document filling half such a frame
 * still has MRZ characters comfortably legible at this size.
 */
const MAX_WORK_SIDE = 2000;
const MIN_MRZ_SKEW = 4;
const AAMVA_MARK = /ANSI |AAMVA|DAQ/;

async function prepare(bytes: Uint8Array): Promise<{ upright: Buffer; measures: CaptureMeasures } | null> {
  try {
    const meta = await sharp(bytes).metadata();
    const turned = (meta.orientation ?? 1) >= 5;
    const [width, height] = turned ? [meta.height, meta.width] : [meta.width, meta.height];
    const { data: upright, info } = await sharp(bytes).rotate()
      .resize({ width: MAX_WORK_SIDE, height: MAX_WORK_SIDE, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 95 }).toBuffer({ resolveWithObject: true });
    const work = await sharp(upright).resize({ width: Math.min(MEASURE_WIDTH, info.width) }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    // Sizes are judged in the photo's own pixels, not the working copy's.
    const measures = measureCapture({ data: work.data, width: work.info.width, height: work.info.height, channels: work.info.channels },
      width ?? info.width, height ?? info.height);
    return { upright, measures };
  } catch {
    return null;
  }
}

/** The capture measures of one photo exactly as a scan takes them (bench/capture-reasons.ts). */
export async function measurePhoto(bytes: Uint8Array): Promise<CaptureMeasures | null> {
  return (await prepare(bytes))?.measures ?? null;
}

const emptySide = (measures: CaptureMeasures | null): SideScan => ({ measures, pdf417: null, mrz: null, printedText: [] });
const isAamva = (outcome: Pdf417Outcome | null) => outcome?.kind === 'decoded' && AAMVA_MARK.test(outcome.text);

/** Licence backs carry the data in a PDF417; passports and ID cards in an MRZ (front, or back of TD1 cards). */
export async function scanDocument(front: Uint8Array, back: Uint8Array | undefined, recognize: RecognizeText, now: Date): Promise<DocumentScan> {
  const frontImage = await prepare(front);
  const backImage = back ? await prepare(back) : null;
  const frontScan = emptySide(frontImage?.measures ?? null);
  const backScan = back ? emptySide(backImage?.measures ?? null) : null;
  if (!frontImage) return { front: frontScan, back: backScan };
  // Nothing on the photo: no OCR time spent on it.
  if (frontImage.measures.edgeDensity < CAPTURE_THRESHOLDS.minEdgeDensity) return { front: frontScan, back: backScan };
  // A licence: the data is in the back's PDF417, the front is only read for the printed cross-check.
  if (backImage && backScan) {
    backScan.pdf417 = await decodePdf417(backImage.upright);
    if (isAamva(backScan.pdf417)) {
      frontScan.printedText = await readPrintedText(frontImage.upright, recognize);
      return { front: frontScan, back: backScan };
    }
  }
  // PaddleOCR reads lines tilted by a few degrees; beyond that the MRZ lines break apart.
  frontScan.mrz = await readMrzFromImage((await deskew(frontImage.upright, MIN_MRZ_SKEW)).image, recognize, now);
  if (frontScan.mrz.kind !== 'image_unreadable') frontScan.printedText = frontScan.mrz.printedText;
  if (frontScan.mrz.kind === 'read') return { front: frontScan, back: backScan };
  // No MRZ on the front. Only now look for a barcode there (it costs a few hundred ms): one means the
  // back was photographed as the front, or the sides were swapped.
  frontScan.pdf417 = await decodePdf417(frontImage.upright, true);
  if (isAamva(frontScan.pdf417)) {
    // The "front" is a barcode side: what OCR found on it is not a printed zone or an MRZ.
    frontScan.mrz = null;
    frontScan.printedText = [];
    // Only a back was photographed: there is no printed side to cross-check against.
    if (!backImage || !backScan) return { front: frontScan, back: backScan };
    backScan.printedText = await readPrintedText(backImage.upright, recognize);
    return { front: frontScan, back: backScan };
  }
  // A back with a damaged PDF417 is a licence back, not the MRZ side of a TD1 card.
  if (backImage && backScan && backScan.pdf417?.kind !== 'damaged') {
    backScan.mrz = await readMrzFromImage((await deskew(backImage.upright, MIN_MRZ_SKEW)).image, recognize, now, frontScan.printedText);
    if (backScan.mrz.kind !== 'image_unreadable') backScan.printedText = backScan.mrz.printedText;
  }
  return { front: frontScan, back: backScan };
}
