import type { Config } from '../config/index.ts';
import type { JobLog, JobRunner } from '../jobs/job-runner.ts';
import { LINK_DELIVERY_JOB, type DeliveryChannel } from '../verification/index.ts';
import { createConsoleSmsProvider } from './console-sms-provider.ts';
import { deliverLink, type LinkDeliveryDeps } from './deliver-link.ts';
import { createHttpSmsProvider } from './http-sms-provider.ts';
import { createSmtpMailer } from './smtp-mailer.ts';

type LinkConfig = Pick<Config, 'smtpUrl' | 'mailFrom' | 'organisationName' | 'issuer' | 'smsProvider' | 'smsUrl' | 'smsAuth'>;

/** The channels this configuration can send links through: EMAIL with an SMTP server, SMS with a provider. */
export function linkChannels(config: LinkConfig): ReadonlySet<DeliveryChannel> {
  const channels = new Set<DeliveryChannel>();
  if (config.smtpUrl && config.mailFrom) channels.add('EMAIL');
  if (config.smsProvider !== 'none') channels.add('SMS');
  return channels;
}

/** Who the messages name as running verid: VERID_ORGANISATION_NAME, else the issuer's host name. */
export function organisationName(config: LinkConfig): string {
  return config.organisationName ?? new URL(config.issuer).hostname;
}

/**
 * Registers the `link.deliver` job on a runner (the server's and `verid worker`'s) with the senders
 * the configuration names (nodemailer opens a connection per message, so there is nothing to close).
 */
export function installLinkDelivery(
  runner: JobRunner, config: LinkConfig, deps: Pick<LinkDeliveryDeps, 'sessions' | 'clientName'>, log: JobLog,
): void {
  const mailer = config.smtpUrl && config.mailFrom ? createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom }) : null;
  const sms = config.smsProvider === 'http' && config.smsUrl ? createHttpSmsProvider({ url: config.smsUrl, authorization: config.smsAuth })
    : config.smsProvider === 'console' ? createConsoleSmsProvider(log) : null;
  const full: LinkDeliveryDeps = { ...deps, mailer, sms, publicUrl: config.issuer, organisation: organisationName(config), log };
  runner.handle(LINK_DELIVERY_JOB, (job) => deliverLink(full, job));
}
