import nodemailer from 'nodemailer';
import type { AttemptOutcome } from '../verification/index.ts';
import type { Mailer } from './ports.ts';

/** Connection errors of nodemailer (and the socket under it): the server may be back later. */
const UNREACHABLE = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * What an SMTP failure means for the link: a 5xx reply (the recipient or the message refused for
 * good, a bad login) is final; a 4xx reply (greylisting, mailbox busy) or no reply at all (server
 * down, timeout) is worth another try. Only the numeric code leaves here.
 */
export function classifySmtpError(error: unknown): AttemptOutcome {
  const { responseCode, code } = (error ?? {}) as { responseCode?: unknown; code?: unknown };
  if (typeof responseCode === 'number' && responseCode >= 400 && responseCode < 600) {
    return { kind: 'failed', reason: `smtp_${responseCode}`, retryable: responseCode < 500 };
  }
  if (typeof code === 'string' && UNREACHABLE.has(code)) return { kind: 'failed', reason: 'smtp_unreachable', retryable: true };
  return { kind: 'failed', reason: 'smtp_error', retryable: true };
}

/** E-mail over SMTP with nodemailer, one connection per message (links are few; no pool to keep alive). */
export function createSmtpMailer(options: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport({
    url: options.url, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000,
  }, { from: options.from });
  return {
    async send(message) {
      try {
        const info = await transport.sendMail({ to: message.to, subject: message.subject, text: message.text, html: message.html });
        if (info.rejected.length > 0) return { kind: 'failed', reason: 'smtp_rejected', retryable: false };
        return { kind: 'sent' };
      } catch (error) {
        return classifySmtpError(error);
      }
    },
  };
}
