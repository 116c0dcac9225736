import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskPhone } from './console-sms-provider.ts';
import { linkEmail, linkSms, type LinkMessageInput } from './link-message.ts';
import { classifySmtpError } from './smtp-mailer.ts';

const message: LinkMessageInput = {
  language: 'en', organisation: 'Acme & Co', clientName: '<script>alert(1)</script>', candidateName: null,
  url: 'https://verid.example.com/verify#token=abc_DEF-123', interviewCode: 'K7QX2M9D', expiresAt: Date.UTC(2026, 11, 8, 17, 0),
};

test('the e-mail names the organisation and the client, carries the link and the code, and says when it expires', () => {
  const mail = linkEmail(message);
  assert.equal(mail.subject, '<script>alert(1)</script> asks you to verify your identity', 'the subject is plain text');
  assert.ok(mail.text.startsWith('Hello,\n'));
  for (const part of ['with Acme & Co.', message.url, 'Your verification code: K7QX2M9D', 'The link expires on December 8, 2026 at 5:00 PM UTC.']) {
    assert.ok(mail.text.includes(part), part);
  }
  assert.ok(!mail.html.includes('<script>'), 'names are escaped in HTML');
  assert.ok(mail.html.includes('&#60;script&#62;') && mail.html.includes('Acme &#38; Co'));
  assert.ok(mail.html.includes(`href="${message.url}"`));
});

test('Spanish copy and date', () => {
  const mail = linkEmail({ ...message, language: 'es', candidateName: 'Lucía', clientName: 'Globex' });
  assert.equal(mail.subject, 'Globex le pide que verifique su identidad');
  assert.ok(mail.text.startsWith('Hola, Lucía:\n'));
  assert.ok(mail.text.includes('El enlace caduca el 8 de diciembre de 2026 a las 17:00 UTC.'), mail.text);
  assert.equal(linkSms({ ...message, language: 'es', clientName: 'Globex' }),
    `Acme & Co: Globex le pide que verifique su identidad: ${message.url} (código K7QX2M9D, caduca el 8 de diciembre de 2026 a las 17:00 UTC)`);
});

test('SMTP failures: 5xx final, 4xx and no answer retried; only the code is kept', () => {
  const cases: Array<[unknown, string, boolean]> = [
    [{ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 <someone@example.com> unknown' }, 'smtp_550', false],
    [{ code: 'EAUTH', responseCode: 535 }, 'smtp_535', false],
    [{ code: 'EENVELOPE', responseCode: 451 }, 'smtp_451', true],
    [{ code: 'ESOCKET' }, 'smtp_unreachable', true],
    [{ code: 'ECONNECTION' }, 'smtp_unreachable', true],
    [new Error('something else'), 'smtp_error', true],
  ];
  for (const [error, reason, retryable] of cases) assert.deepEqual(classifySmtpError(error), { kind: 'failed', reason, retryable }, JSON.stringify(error));
});

test('the console adapter masks the number', () => {
  assert.equal(maskPhone('+447700900123'), '+44********23');
  assert.ok(!maskPhone('+14155550100').includes('5555'));
});

test('the console adapter logs the message with the number masked, and accepts it', async () => {
  const { createConsoleSmsProvider } = await import('./console-sms-provider.ts');
  const lines: unknown[] = [];
  const provider = createConsoleSmsProvider({ info: (obj) => { lines.push(obj); } });
  assert.deepEqual(await provider.send({ to: '+447700900123', body: linkSms(message) }), { kind: 'sent' });
  assert.equal(lines.length, 1);
  assert.ok(!JSON.stringify(lines).includes('7700900123') && JSON.stringify(lines).includes('+44********23'));
});
