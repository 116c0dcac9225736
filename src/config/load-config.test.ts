import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from './load-config.ts';

test('defaults start a development server on SQLite and say which defaults are development-only', () => {
  const config = loadConfig({});
  assert.equal(config.port, 8080);
  assert.equal(config.databaseUrl, null);
  assert.equal(config.issuer, 'http://localhost:8080');
  assert.deepEqual(config.devDefaults.sort(), ['VERID_ISSUER', 'VERID_MASTER_KEY']);
});

test('values are parsed and validated with readable errors', () => {
  assert.equal(loadConfig({ PORT: '9000', VERID_ISSUER: 'https://id.example.com/' }).issuer, 'https://id.example.com');
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT must be an integer/);
  assert.throws(() => loadConfig({ VERID_ISSUER: 'not a url' }), /VERID_ISSUER must be an absolute URL/);
  assert.throws(() => loadConfig({ VERID_MASTER_KEY: 'short' }), /at least 32 characters/);
  assert.throws(() => loadConfig({ VERID_FACE_MATCH_THRESHOLD: '1.5' }), /between 0 and 1/);
  assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL must be one of/);
  assert.throws(() => loadConfig({ VERID_ENGINE_NICE: '20' }), /VERID_ENGINE_NICE must be between 0 and 19/);
  assert.throws(() => loadConfig({ VERID_ENGINE_NICE: '-5' }), /VERID_ENGINE_NICE must be between 0 and 19/);
});

test('production refuses development defaults and plain-http issuers', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /refuses development defaults; set VERID_MASTER_KEY, VERID_ISSUER/);
  const key = 'x'.repeat(40);
  assert.throws(() => loadConfig({ NODE_ENV: 'production', VERID_MASTER_KEY: key, VERID_ISSUER: 'http://id.example.com' }), /https/);
  const config = loadConfig({ NODE_ENV: 'production', VERID_MASTER_KEY: key, VERID_ISSUER: 'https://id.example.com' });
  assert.deepEqual(config.devDefaults, []);
});

test('link delivery: SMTP needs a sender, the HTTP SMS provider a URL; the console provider never runs in production', () => {
  assert.throws(() => loadConfig({ VERID_SMTP_URL: 'smtp://mail.example.com:587' }), /VERID_MAIL_FROM is required/);
  assert.throws(() => loadConfig({ VERID_SMTP_URL: 'http://mail.example.com', VERID_MAIL_FROM: 'a@example.com' }), /smtp:\/\/ or smtps:\/\//);
  assert.equal(loadConfig({ VERID_SMTP_URL: 'smtps://u:p@mail.example.com:465', VERID_MAIL_FROM: 'a@example.com' }).smtpUrl, 'smtps://u:p@mail.example.com:465');
  assert.throws(() => loadConfig({ VERID_SMS_PROVIDER: 'http' }), /VERID_SMS_URL is required/);
  assert.equal(loadConfig({ VERID_SMS_PROVIDER: 'console' }).smsProvider, 'console');
  const production = { NODE_ENV: 'production', VERID_MASTER_KEY: 'a-production-master-key-of-32-chars!!', VERID_ISSUER: 'https://id.example.com' };
  assert.throws(() => loadConfig({ ...production, VERID_SMS_PROVIDER: 'console' }), /development and test only/);
  assert.throws(() => loadConfig({ ...production, VERID_SMS_PROVIDER: 'http', VERID_SMS_URL: 'http://sms.example.com' }), /https:\/\/ URL in production/);
  assert.throws(() => loadConfig({ VERID_LINK_DELIVERY_ATTEMPTS: '0' }), /at least 1/);
});
