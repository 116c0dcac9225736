import type { Language } from '../verification/index.ts';

/** What a message that carries a session's link says. The names are shown to the person; none of it is logged. */
export interface LinkMessageInput {
  language: Language;
  /** Who runs this verid (VERID_ORGANISATION_NAME). */
  organisation: string;
  /** The API client that asked for the verification (its registered name). */
  clientName: string;
  /** The person's name, when the caller gave it. */
  candidateName: string | null;
  url: string;
  interviewCode: string;
  expiresAt: number;
}

export interface LinkEmail {
  subject: string;
  text: string;
  html: string;
}

interface Copy {
  subject: (m: LinkMessageInput) => string;
  greeting: (name: string | null) => string;
  ask: (m: LinkMessageInput) => string;
  how: string;
  button: string;
  code: (code: string) => string;
  expires: (when: string) => string;
  ignore: string;
  sms: (m: LinkMessageInput, when: string) => string;
}

const COPY: Record<Language, Copy> = {
  en: {
    subject: (m) => `${m.clientName} asks you to verify your identity`,
    greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
    ask: (m) => `${m.clientName} asks you to verify your identity with ${m.organisation}.`,
    how: 'Open the link on a phone or a computer with a camera, photograph your identity document and take a selfie.',
    button: 'Verify my identity',
    code: (code) => `Your verification code: ${code}`,
    expires: (when) => `The link expires on ${when}.`,
    ignore: 'If you did not expect this message, you can ignore it.',
    sms: (m, when) => `${m.organisation}: ${m.clientName} asks you to verify your identity: ${m.url} (code ${m.interviewCode}, expires ${when})`,
  },
  es: {
    subject: (m) => `${m.clientName} le pide que verifique su identidad`,
    greeting: (name) => (name ? `Hola, ${name}:` : 'Hola:'),
    ask: (m) => `${m.clientName} le pide que verifique su identidad con ${m.organisation}.`,
    how: 'Abra el enlace en un teléfono o en un ordenador con cámara, fotografíe su documento de identidad y hágase un selfi.',
    button: 'Verificar mi identidad',
    code: (code) => `Su código de verificación: ${code}`,
    expires: (when) => `El enlace caduca el ${when}.`,
    ignore: 'Si no esperaba este mensaje, puede ignorarlo.',
    sms: (m, when) => `${m.organisation}: ${m.clientName} le pide que verifique su identidad: ${m.url} (código ${m.interviewCode}, caduca el ${when})`,
  },
};

/** The expiry in the message's language, in UTC (the person's time zone is not known). */
export function formatExpiry(expiresAt: number, language: Language): string {
  return `${new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(expiresAt))} UTC`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The e-mail: plain text and a simple HTML part with the same content. */
export function linkEmail(m: LinkMessageInput): LinkEmail {
  const copy = COPY[m.language];
  const when = formatExpiry(m.expiresAt, m.language);
  const text = [
    copy.greeting(m.candidateName), '', copy.ask(m), copy.how, '', m.url, '', copy.code(m.interviewCode), copy.expires(when), '', copy.ignore, '',
    `— ${m.organisation}`, '',
  ].join('\n');
  const p = (line: string): string => `<p>${escapeHtml(line)}</p>`;
  const html = `<!doctype html>
<html lang="${m.language}"><head><meta charset="utf-8"><title>${escapeHtml(copy.subject(m))}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 36em">
${p(copy.greeting(m.candidateName))}
${p(copy.ask(m))}
${p(copy.how)}
<p><a href="${escapeHtml(m.url)}" style="display: inline-block; padding: 0.6em 1.2em; background: #1a56db; color: #fff; text-decoration: none; border-radius: 4px">${escapeHtml(copy.button)}</a></p>
<p style="word-break: break-all; font-size: 0.9em">${escapeHtml(m.url)}</p>
${p(copy.code(m.interviewCode))}
${p(copy.expires(when))}
<p style="color: #555; font-size: 0.9em">${escapeHtml(copy.ignore)}<br>— ${escapeHtml(m.organisation)}</p>
</body></html>
`;
  return { subject: copy.subject(m), text, html };
}

/** The text message: one line with the link, the code and the expiry. */
export function linkSms(m: LinkMessageInput): string {
  return COPY[m.language].sms(m, formatExpiry(m.expiresAt, m.language));
}
