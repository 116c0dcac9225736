// Capture-quality gates of one side of a document: measured on decoded pixels, judged by thresholds.
import { borderContact, contentBox, edgeDensity, edgeThreshold, glareFraction, gradientMagnitude, sharpness, toGrey, whiteLevel } from './image-measures.ts';
import type { RawImage } from './image-measures.ts';
import type { ScoreItem } from './types.ts';

export type DocumentSide = 'Front' | 'Back';

export interface CaptureMeasures {
  /** Pixel size of the photo as uploaded. */
  width: number;
  height: number;
  edgeDensity: number;
  /** Share of the photo's area the printed content spans (0–1). */
  contentArea: number;
  /** Width of the printed content in the uploaded photo's pixels. */
  contentWidth: number;
  sharpness: number;
  glare: number;
  /** Largest share of one image border that printed content runs into. */
  borderContact: number;
  /** Grey level (0–255) of the brightest 2 % of the content: the paper's white, dim when underexposed. */
  whiteLevel: number;
}

/** Calibrated on bench/eval-documents (clean and mildly degraded synthetic documents pass). */
export const CAPTURE_THRESHOLDS = {
  minEdgeDensity: 0.004,
  minSharpness: 0.12,
  maxGlare: 0.02,
  minContentWidth: 450,
  minContentArea: 0.12,
  maxBorderContact: 0.18,
  /** Paper at half exposure (~110) still reads; at a quarter (~60) the print is lost in the noise. */
  minWhiteLevel: 80,
} as const;

/** `image` is the photo scaled to the working size; `width`/`height` are the uploaded size. */
export function measureCapture(image: RawImage, width: number, height: number): CaptureMeasures {
  const grey = toGrey(image);
  const magnitude = gradientMagnitude(grey, image.width, image.height);
  const threshold = edgeThreshold(magnitude);
  const box = contentBox(magnitude, image.width, image.height, threshold);
  const contact = borderContact(magnitude, image.width, image.height, threshold);
  const scale = width / image.width;
  return {
    width,
    height,
    edgeDensity: round(edgeDensity(magnitude, threshold)),
    contentArea: box ? round((box.width * box.height) / (image.width * image.height)) : 0,
    contentWidth: box ? Math.round(box.width * scale) : 0,
    sharpness: box ? round(sharpness(grey, magnitude, image.width, box, threshold)) : 0,
    glare: box ? round(glareFraction(image, box)) : 0,
    borderContact: round(Math.max(contact.top, contact.bottom, contact.left, contact.right)),
    whiteLevel: whiteLevel(grey, image.width, box ?? { left: 0, top: 0, width: image.width, height: image.height }),
  };
}

const round = (value: number) => Math.round(value * 1000) / 1000;
const item = (key: string, value: number, ok: boolean): ScoreItem => ({ key, value, status: ok ? 'OK' : 'FAIL' });

/** The quality items of one side and the capture reasons they raise, in gate order. */
export function judgeCapture(measures: CaptureMeasures, side: DocumentSide): { quality: ScoreItem[]; reasons: string[] } {
  const t = CAPTURE_THRESHOLDS;
  const found = measures.edgeDensity >= t.minEdgeDensity && measures.contentWidth > 0;
  const sharp = measures.sharpness >= t.minSharpness;
  const noGlare = measures.glare <= t.maxGlare;
  const bigEnough = measures.contentWidth >= t.minContentWidth && measures.contentArea >= t.minContentArea;
  const framed = measures.borderContact <= t.maxBorderContact;
  const lit = measures.whiteLevel >= t.minWhiteLevel;
  const quality = [
    item(`sharpness${side}`, measures.sharpness, sharp),
    item(`glare${side}`, measures.glare, noGlare),
    item(`documentSize${side}`, measures.contentWidth, bigEnough),
    item(`framing${side}`, measures.borderContact, framed),
    item(`exposure${side}`, measures.whiteLevel, lit),
  ];
  if (!found) return { quality: quality.map((entry) => ({ ...entry, status: 'UNKNOWN' })), reasons: ['document_not_found'] };
  const reasons: string[] = [];
  if (!lit) reasons.push('document_too_dark');
  if (!sharp) reasons.push('document_blurry');
  if (!noGlare) reasons.push('document_glare');
  if (!bigEnough) reasons.push('document_too_small');
  if (!framed) reasons.push('document_cut_off');
  return { quality, reasons };
}
