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

/** Gaussian sensor noise of standard deviation `sigma` (grey levels), seeded. */
export const sensorNoise = (sigma: number, seed = 11): Degradation => async (image) => {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let state = seed >>> 0;
  const uniform = () => ((state = (state * 1664525 + 1013904223) >>> 0) + 1) / 4294967297;
  for (let index = 0; index < data.length; index++) {
    const gaussian = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    data[index] = Math.max(0, Math.min(255, Math.round(data[index]! + sigma * gaussian)));
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).jpeg({ quality: 90 }).toBuffer();
};

/** Print smudges: soft grey blots at (x, y, radius) in 0–1 units, and the print slightly spread. */
export const smudge = (blots: ReadonlyArray<readonly [number, number, number]>): Degradation => async (image) => {
  const { width = 1000, height = 700 } = await sharp(image).metadata();
  const ellipses = blots.map(([x, y, r]) =>
    `<ellipse cx="${x * width}" cy="${y * height}" rx="${r * width}" ry="${r * width * 0.45}" fill="#4a4a52" fill-opacity="0.28" filter="url(#s)"/>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><filter id="s"><feGaussianBlur stdDeviation="${width / 200}"/></filter></defs>${ellipses.join('')}</svg>`;
  return sharp(image).composite([{ input: Buffer.from(svg) }]).blur(0.7).jpeg({ quality: 88 }).toBuffer();
};

/** A washed-out (not fully clipped) reflection across the bottom band, where the MRZ is printed. */
export const mrzGlare = (cx: number, strength: number): Degradation => async (image) => {
  const { width = 1000, height = 700 } = await sharp(image).metadata();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><radialGradient id="g"><stop offset="0" stop-color="#fff" stop-opacity="${strength}"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs>
    <ellipse cx="${width * cx}" cy="${height * 0.86}" rx="${width * 0.16}" ry="${height * 0.12}" fill="url(#g)"/></svg>`;
  return sharp(image).composite([{ input: Buffer.from(svg) }]).jpeg({ quality: 90 }).toBuffer();
};

/** Turned a quarter (90) or three quarters (270) on the table, plus a small tilt, without EXIF orientation. */
export const quarterTurn = (degrees: 90 | 270, tilt = 0): Degradation => async (image) =>
  sharp(await rotate(tilt)(image)).rotate(degrees).jpeg({ quality: 90 }).toBuffer();
