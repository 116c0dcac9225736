// Photo degradations for document benches and quality-gate tests: what a phone camera does to a card.
import sharp from 'sharp';

export type Degradation = (image: Buffer) => Promise<Buffer>;

const TABLE = { r: 96, g: 90, b: 84 };

/** The card on a table with a margin of `fraction` of its width around it, as a phone frames it. */
export const onTable = (fraction = 0.06): Degradation => async (image) => {
  const { width = 1000 } = await sharp(image).metadata();
  const margin = Math.round(width * fraction);
  return sharp(image).extend({ top: margin, bottom: margin, left: margin, right: margin, background: TABLE }).jpeg({ quality: 92 }).toBuffer();
};

/** Rotated by `degrees` on the table (the canvas grows, nothing is cut). */
export const rotate = (degrees: number): Degradation => async (image) =>
  sharp(await onTable()(image)).rotate(degrees, { background: TABLE }).jpeg({ quality: 90 }).toBuffer();

/** A shear plus uneven scale: a camera that is not square to the card. */
export const perspective = (shear: number): Degradation => async (image) =>
  sharp(await onTable()(image)).affine([[1, shear], [shear / 2, 0.94]], { background: TABLE }).jpeg({ quality: 90 }).toBuffer();

export const blur = (sigma: number): Degradation => (image) => sharp(image).blur(sigma).jpeg({ quality: 90 }).toBuffer();

export const jpeg = (quality: number): Degradation => (image) => sharp(image).jpeg({ quality }).toBuffer();

/** Dim exposure with a little sensor noise. */
export const lowLight = (gain: number): Degradation => async (image) => {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let seed = 7;
  for (let index = 0; index < data.length; index++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    data[index] = Math.max(0, Math.min(255, Math.round(data[index]! * gain + ((seed % 13) - 6))));
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).jpeg({ quality: 88 }).toBuffer();
};

/** A blown-out white ellipse covering `fraction` of the width, centred at (cx, cy) in 0–1 units. */
export const glare = (fraction: number, cx = 0.62, cy = 0.35): Degradation => async (image) => {
  const { width = 1000, height = 700 } = await sharp(image).metadata();
  const rx = (width * fraction) / 2;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><radialGradient id="g"><stop offset="0.75" stop-color="#fff" stop-opacity="1"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs>
    <ellipse cx="${width * cx}" cy="${height * cy}" rx="${rx}" ry="${rx * 0.6}" fill="url(#g)"/></svg>`;
  return sharp(image).composite([{ input: Buffer.from(svg) }]).jpeg({ quality: 90 }).toBuffer();
};

/** The card small in the middle of a large photo of the table. */
export const farAway = (scale: number): Degradation => async (image) => {
  const { width = 1000, height = 700 } = await sharp(image).metadata();
  const small = await sharp(image).resize({ width: Math.round(width * scale) }).toBuffer();
  const meta = await sharp(small).metadata();
  return sharp({ create: { width, height, channels: 3, background: TABLE } })
    .composite([{ input: small, left: Math.round((width - (meta.width ?? 0)) / 2), top: Math.round((height - (meta.height ?? 0)) / 2) }])
    .jpeg({ quality: 90 }).toBuffer();
};

/** The whole photo downscaled to `width` pixels (a low-resolution camera or a thumbnail). */
export const downscale = (width: number): Degradation => (image) => sharp(image).resize({ width }).jpeg({ quality: 90 }).toBuffer();

/** Only the top `keep` fraction of the card is in the frame. */
export const cutOffBottom = (keep: number): Degradation => async (image) => {
  const { width = 1000, height = 700 } = await sharp(image).metadata();
  return sharp(image).extract({ left: 0, top: 0, width, height: Math.round(height * keep) }).jpeg({ quality: 90 }).toBuffer();
};

export const chain = (...steps: Degradation[]): Degradation => async (image) => {
  let out = image;
  for (const step of steps) out = await step(out);
  return out;
};
