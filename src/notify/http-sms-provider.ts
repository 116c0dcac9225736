import type { AttemptOutcome } from '../verification/index.ts';
import type { SmsProvider } from './ports.ts';

/**
 * An SMS gateway over HTTP: `POST url` with `{"to": "+E164", "body": "…"}` as JSON and the configured
 * `Authorization` header; any 2xx means accepted. 408, 429 and 5xx (and no answer) are tried again;
 * any other 4xx is final (the gateway refuses the number or the request). No redirects are followed.
 */
export function createHttpSmsProvider(options: { url: string; authorization: string | null; timeoutMs?: number }): SmsProvider {
  return {
    async send(message): Promise<AttemptOutcome> {
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
          headers: { 'content-type': 'application/json', ...(options.authorization ? { authorization: options.authorization } : {}) },
          body: JSON.stringify({ to: message.to, body: message.body }),
        });
      } catch {
        return { kind: 'failed', reason: 'sms_unreachable', retryable: true };
      }
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) return { kind: 'sent' };
      const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
      return { kind: 'failed', reason: `sms_http_${response.status}`, retryable };
    },
  };
}
