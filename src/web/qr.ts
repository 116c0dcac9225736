import QRCode from 'qrcode';

/** A QR code of `text` as an SVG data URL (CSP allows `img-src data:`), medium error correction. */
export async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, width: 220 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
