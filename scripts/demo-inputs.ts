// Writes the demo environment's test inputs (docs/testing.md) into demo/: `node scripts/demo-inputs.ts`.
// Test documents carry ICAO's specimen state "Utopia" (UTO): a `demo` session reads them through the
// real pipeline; a `production` session refuses them (test_document). Faces: Face Research Lab
// London Set (CC-BY 4.0), see demo/README.md.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { face } from '../test/helpers/fixtures.ts';
import { generatePassport, type SyntheticDocumentSpec } from '../test/support/synthetic-document.ts';

const DIR = new URL('../demo/', import.meta.url);

const hughes: Omit<SyntheticDocumentSpec, 'portrait'> = {
  issuingCountry: 'UTO', surname: 'HUGHES', givenNames: 'AMELIA', documentNumber: 'UT0000017', birthDate: '1993-06-21', expiryDate: '2034-06-20', sex: 'F',
};

if (import.meta.main) {
  await mkdir(DIR, { recursive: true });
  const portrait = await face('genuine/london_001/1.jpg');
  const blank = await sharp({ create: { width: 400, height: 520, channels: 3, background: '#d9d4cc' } }).jpeg().toBuffer();
  const files: Record<string, Buffer> = {
    'passport-hughes.jpg': await generatePassport({ ...hughes, portrait }),
    'passport-hughes-expired.jpg': await generatePassport({ ...hughes, documentNumber: 'UT0000025', expiryDate: '2021-06-20', portrait }),
    'passport-no-portrait.jpg': await generatePassport({ ...hughes, documentNumber: 'UT0000033', portrait: blank }),
  };
  for (const [name, data] of Object.entries(files)) await writeFile(new URL(name, DIR), data);
  await copyFile(new URL('../test/fixtures/faces/genuine/london_001/2.jpg', import.meta.url), new URL('selfie-hughes.jpg', DIR));
  await copyFile(new URL('../test/fixtures/faces/genuine/london_002/2.jpg', import.meta.url), new URL('selfie-someone-else.jpg', DIR));
  process.stdout.write(`wrote ${Object.keys(files).length + 2} files to ${DIR.pathname}\n`);
}
