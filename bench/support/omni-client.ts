// Helpers shared by the benchmarks that drive a running verid over HTTP like the hosted page does.
import sharp from 'sharp';
import { face } from '../../test/helpers/fixtures.ts';
import { generatePassport } from '../../test/support/synthetic-document.ts';

const PEOPLE = ['london_001', 'london_002', 'london_003', 'london_005'];

export interface VerificationInput {
  front: Buffer;
  selfie: Buffer;
  /** Base64 liveness frames (320 px, each one different). */
  frames: string[];
}

/**
 * The i-th person's synthetic passport, selfie and liveness frames. Every verification gets its
 * own images: verid reuses engine results by image content, and a benchmark that repeated images
 * would measure the cache, not the engines.
 */
export async function makeInput(i: number, frameCount: number): Promise<VerificationInput> {
  const person = PEOPLE[i % PEOPLE.length]!;
  const selfie = await sharp(await face(`genuine/${person}/2.jpg`)).modulate({ brightness: 1 + i / 1000 }).jpeg({ quality: 90 }).toBuffer();
  return {
    front: await generatePassport({
      issuingCountry: 'GBR', surname: 'BENCH', givenNames: `PERSON ${'ABCD'[i % 4]}`, documentNumber: `B${1000000 + i}`,
      birthDate: '1990-01-01', expiryDate: '2034-01-01', sex: 'F', portrait: await face(`genuine/${person}/1.jpg`),
    }),
    selfie,
    // Small frames for the liveness burst (320 px wide, like the page's), each one different, as a
    // camera's are (identical frames would be analysed once).
    frames: await Promise.all(Array.from({ length: frameCount }, async (_, k) =>
      (await sharp(selfie).resize({ width: 320 }).modulate({ brightness: 1 + k / 500 }).jpeg({ quality: 80 }).toBuffer()).toString('base64'))),
  };
}

/** POST to an Omni endpoint with the session token; throws on a non-2xx answer. */
export async function omniPost(
  baseUrl: string, token: string, route: string, body?: unknown, type = 'image/jpeg', headers: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': type } : {}), ...headers },
    body: body === undefined ? undefined : body instanceof Buffer ? new Uint8Array(body) : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
