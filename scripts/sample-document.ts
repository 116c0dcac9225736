// Writes a synthetic passport (or ID card) data page for trying verid without a real document:
//   node scripts/sample-document.ts --portrait me.jpg --out passport.jpg [--id-card] [--surname DOE --given-names JANE ...]
// Needs the OCR-B font (Debian: fonts-ocr-b). It is a specimen, not a document: never use it as ID.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { generateIdCard, generatePassport } from '../test/support/synthetic-document.ts';

const { values } = parseArgs({
  options: {
    portrait: { type: 'string' }, out: { type: 'string', default: 'passport.jpg' }, 'id-card': { type: 'boolean', default: false },
    surname: { type: 'string', default: 'DOE' }, 'given-names': { type: 'string', default: 'JANE' },
    country: { type: 'string', default: 'GBR' }, number: { type: 'string', default: 'SPEC12345' },
    'birth-date': { type: 'string', default: '1990-01-31' }, 'expiry-date': { type: 'string', default: '2034-01-31' },
    sex: { type: 'string', default: 'F' },
  },
});
if (!values.portrait) {
  console.error('usage: node scripts/sample-document.ts --portrait PHOTO.jpg [--out passport.jpg] [--id-card]');
  process.exit(2);
}
const spec = {
  issuingCountry: values.country, surname: values.surname, givenNames: values['given-names'], documentNumber: values.number,
  birthDate: values['birth-date'], expiryDate: values['expiry-date'], sex: values.sex as 'M' | 'F' | 'X', portrait: await readFile(values.portrait),
};
await writeFile(values.out, await (values['id-card'] ? generateIdCard(spec) : generatePassport(spec)));
console.log(`wrote ${values.out}`);
