import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../errors/app-error.ts';
import { DEFAULT_FLOW, documentPolicy, parseFlows } from './flows.ts';

test('VERID_FLOWS: default always there; a flow is checked setting by setting with one clear line', () => {
  assert.deepEqual([...parseFlows(null).keys()], ['default']);
  const flows = parseFlows('{"onboarding":{"documentTypes":["passport"],"requireExpectedName":true,"linkTtlSeconds":3600,"redirectionUrl":"https://ats.example.com/done"}}');
  assert.deepEqual(flows.get('onboarding'), { mode: 'enroll', documentTypes: ['passport'], requireExpectedName: true, linkTtlSeconds: 3600, redirectionUrl: 'https://ats.example.com/done', mediaDays: null });
  assert.equal(parseFlows('{"short":{"mediaDays":7}}', 30).get('short')?.mediaDays, 7);
  assert.throws(() => parseFlows('{"long":{"mediaDays":90}}', 30), /longer than VERID_RETENTION_MEDIA_DAYS/, 'a flow never keeps more than the consent text promises');
  for (const [raw, message] of [
    ['not json', /JSON object/], ['[]', /JSON object/], ['{"a b":{}}', /flow name/], ['{"x":{"colour":"red"}}', /unknown setting/],
    ['{"x":{"documentTypes":["visa"]}}', /documentTypes/], ['{"x":{"documentTypes":[]}}', /documentTypes/], ['{"x":{"requireExpectedName":"yes"}}', /requireExpectedName/],
    ['{"x":{"redirectionUrl":"javascript:alert(1)"}}', /redirectionUrl/], ['{"x":{"linkTtlSeconds":5}}', /linkTtlSeconds/], ['{"x":{"mediaDays":0}}', /mediaDays/], ['{"x":{"mode":"selfie"}}', /mode/],
  ] as const) {
    assert.throws(() => parseFlows(raw), (error: unknown) => error instanceof ConfigError && message.test(error.message), raw);
  }
});

test('test documents pass only in demo; a flow refuses the kinds it does not take', () => {
  const uto = { documentType: 'passport' as const, issuingCountry: 'UTO' };
  assert.deepEqual(documentPolicy(uto, 'demo', DEFAULT_FLOW).reasons, []);
  assert.deepEqual(documentPolicy(uto, 'production', DEFAULT_FLOW).reasons, ['test_document']);
  assert.deepEqual(documentPolicy({ documentType: 'passport', issuingCountry: 'GBR' }, 'production', DEFAULT_FLOW), { items: [], reasons: [] });
  const idOnly = { ...DEFAULT_FLOW, documentTypes: ['id_card'] as const };
  assert.deepEqual(documentPolicy({ documentType: 'driver_licence', issuingCountry: 'USA' }, 'production', idOnly).reasons, ['document_type_not_accepted']);
});
