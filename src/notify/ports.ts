import type { AttemptOutcome } from '../verification/index.ts';

/** Sends one e-mail. Outcomes are values: a refusal is `failed` with a reason code, never the server's text (it may hold the address). */
export interface Mailer {
  send(message: { to: string; subject: string; text: string; html: string }): Promise<AttemptOutcome>;
}

/**
 * An SMS gateway (the provider port): sends one text message to an E.164 number. Adapters:
 * http-sms-provider.ts (any gateway that takes JSON over HTTP), console-sms-provider.ts (development).
 */
export interface SmsProvider {
  send(message: { to: string; body: string }): Promise<AttemptOutcome>;
}
