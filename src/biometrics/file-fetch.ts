import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * tfjs loads model JSON and weights with `fetch`, which in Node cannot read `file:` URLs.
 * Wraps the global fetch once per worker so local `file:` URLs are served from disk and
 * nothing is ever fetched from the network.
 */
export function installFileFetch(): void {
  const original = globalThis.fetch;
  if ((original as { fileFetch?: boolean }).fileFetch) return;
  const patched = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith('file:')) {
      const body = await readFile(fileURLToPath(url));
      const type = url.endsWith('.json') ? 'application/json' : 'application/octet-stream';
      return new Response(body, { status: 200, headers: { 'content-type': type } });
    }
    if (/^https?:/.test(url)) throw new Error('network fetch refused in face worker');
    return original(input, init);
  };
  Object.assign(patched, { fileFetch: true });
  globalThis.fetch = patched as typeof fetch;
}
