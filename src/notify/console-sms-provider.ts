import type { SmsProvider } from './ports.ts';

/** +447700900123 → +44*******23: enough to tell two test numbers apart, not enough to call one. */
export function maskPhone(phone: string): string {
  return phone.length <= 5 ? '*'.repeat(phone.length) : `${phone.slice(0, 3)}${'*'.repeat(phone.length - 5)}${phone.slice(-2)}`;
}

/**
 * Development and test only (refused in production by the configuration): the message goes to the
 * log instead of a phone, with the number masked. The body holds the link — a credential — which is
 * why no production server may use it.
 */
export function createConsoleSmsProvider(log: { info(obj: object, msg: string): void }): SmsProvider {
  return {
    async send(message) {
      log.info({ sms: { to: maskPhone(message.to), body: message.body } }, 'SMS not sent (VERID_SMS_PROVIDER=console, development only)');
      return { kind: 'sent' };
    },
  };
}
