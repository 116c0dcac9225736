export { classifySmtpError, createSmtpMailer } from './smtp-mailer.ts';
export { createHttpSmsProvider } from './http-sms-provider.ts';
export { createConsoleSmsProvider, maskPhone } from './console-sms-provider.ts';
export { deliverLink, LinkDeliveryRetry } from './deliver-link.ts';
export type { LinkDeliveryDeps } from './deliver-link.ts';
export { installLinkDelivery, linkChannels, organisationName } from './install-link-delivery.ts';
export { formatExpiry, linkEmail, linkSms } from './link-message.ts';
export type { LinkEmail, LinkMessageInput } from './link-message.ts';
export type { Mailer, SmsProvider } from './ports.ts';
