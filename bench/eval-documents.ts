// Document-reading evaluation: node bench/eval-documents.ts [--n N] [--set easy|hard] [--seed S] [--dir DIR] [--save DIR] [--threads N]
// Synthetic mode: N passports, N ID cards and N AAMVA licences with random identities, each under
// one phone-photo degradation (cycled), read by the production reader; a document counts as
// read+valid when every expected field is read and its check digits / barcode content are valid.
// --set easy: the unit tests' generator and mild degradations; --set hard: country layouts, MRZ
// fonts other than OCR-B, TD1 cards with the MRZ on the back, and one hard photo failure each
// (test/support/hard-document.ts). Tune on one seed, report another.
// --dir DIR: every NAME.jpg|png (+ NAME.back.jpg|png) with NAME.json of expected fields instead.
// LAST line: one JSON object {mrz_read_valid, pdf417_read_valid, wrong_valid, read_valid: {type: rate}, n, set, seed};
// wrong_valid: the share of documents accepted as they are (data valid, no reason) with a wrong field.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createDocumentReader } from '../src/documents/index.ts';
import type { DocumentReading } from '../src/documents/index.ts';
import { nameTokens } from '../src/documents/name-match.ts';
import { mrzNameField, splitNameField } from '../src/documents/transliterate.ts';
import * as degrade from '../test/support/degrade.ts';
import { randomIdentity, seededRandom } from '../test/support/random-identity.ts';
import { generateIdCard, generatePassport } from '../test/support/synthetic-document.ts';
import { generateDriverLicence } from '../test/support/synthetic-licence.ts';
import { generateHardIdCard, generateHardPassport, HARD_COUNTRIES, HARD_FAILURES, mrzFonts } from '../test/support/hard-document.ts';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '20' },
    dir: { type: 'string' },
    save: { type: 'string' },
    seed: { type: 'string', default: '1' },
    set: { type: 'string', default: 'easy' },
    threads: { type: 'string', default: '1' },
  },
});

export interface ExpectedFields {
  documentType: 'passport' | 'id_card' | 'driver_licence';
  issuingCountry: string;
  documentNumber: string;
  surname: string;
  givenNames: string;
  birthDate: string;
  expiryDate: string;
  sex: 'M' | 'F' | 'X';
}
interface Sample { name: string; degradation: string; font?: string; expected: ExpectedFields; front: Buffer; back?: Buffer }
/** What happened to one document, from the person's side: right, wrongly accepted, asked to retake, rejected, nothing read. */
type OutcomeClass = 'right' | 'wrong_valid' | 'retake' | 'rejected' | 'not_read';
interface Outcome { sample: Sample; read: boolean; valid: boolean; outcome: OutcomeClass; ms: number; reasons: string[] }

const DEGRADATIONS: Array<[string, (random: () => number) => degrade.Degradation]> = [
  ['clean', () => async (image) => image],
  ['rotation ±3–10°', (random) => degrade.rotate((random() < 0.5 ? -1 : 1) * (3 + random() * 7))],
  ['perspective', (random) => degrade.perspective(0.03 + random() * 0.05)],
  ['blur σ1', () => degrade.blur(1)],
  ['JPEG q40', () => degrade.jpeg(40)],
  ['glare spot', (random) => degrade.glare(0.12 + random() * 0.05, 0.3 + random() * 0.5, 0.25 + random() * 0.3)],
  ['low light', () => degrade.lowLight(0.5)],
  // Everything a hurried phone photo does at once.
  ['combined', (random) => degrade.chain(
    degrade.rotate((random() < 0.5 ? -1 : 1) * (2 + random() * 6)), degrade.perspective(0.03), degrade.blur(0.8),
    degrade.lowLight(0.7), degrade.jpeg(60))],
];
const PASSPORT_COUNTRIES = ['GBR', 'FRA', 'DEU', 'ESP', 'ITA', 'NLD', 'SWE', 'POL', 'USA', 'CAN'];
const JURISDICTIONS = [['USA', 'IL'], ['USA', 'CA'], ['USA', 'NY'], ['USA', 'TX'], ['USA', 'WA'], ['CAN', 'ON'], ['CAN', 'BC'], ['CAN', 'QC']] as const;

function portraits(): string[] {
  const roots = [resolve(import.meta.dirname, '../test/fixtures/faces/genuine'), resolve(import.meta.dirname, '../../shared/fixtures/faces/genuine')];
  return roots.filter(existsSync).flatMap((root) => readdirSync(root).sort().map((person) => join(root, person, '1.jpg'))).filter(existsSync);
}

/** Names as the document stores them: MRZ transliteration and truncation, AAMVA upper-case ASCII. */
function mrzNames(surname: string, givenNames: string, length: number) {
  return splitNameField(mrzNameField(surname, givenNames, length));
}

async function* syntheticSamples(n: number, hard: boolean): AsyncGenerator<Sample> {
  const random = seededRandom(Number(args.seed));
  const faces = portraits();
  const fonts = mrzFonts();
  const failures = hard ? HARD_FAILURES : DEGRADATIONS;
  if (faces.length === 0) throw new Error('no portraits found under test/fixtures/faces or ../shared/fixtures/faces');
  for (let index = 0; index < n; index++) {
    const [degradation, make] = failures[index % failures.length]!;
    const portrait = await readFile(faces[Math.floor(random() * faces.length)]!);
    for (const documentType of ['passport', 'id_card', 'driver_licence'] as const) {
      const apply = make(random);
      const name = `${documentType}-${String(index).padStart(4, '0')}`;
      if (documentType === 'driver_licence') {
        const [country, jurisdiction] = JURISDICTIONS[Math.floor(random() * JURISDICTIONS.length)]!;
        const person = randomIdentity(random, country === 'USA' ? 'A9999999' : 'A9999-99999-99999');
        const [firstName = '', ...middle] = person.givenNames.split(' ');
        const card = await generateDriverLicence({ ...person, country, jurisdiction, firstName, middleNames: middle.join(' '), portrait });
        const ascii = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase();
        const expected: ExpectedFields = { ...person, documentType, issuingCountry: country, surname: ascii(person.surname), givenNames: ascii(person.givenNames) };
        yield { name, degradation, expected, front: await (hard ? degrade.jpeg(60) : apply)(card.front), back: await apply(card.back) };
        continue;
      }
      const person = randomIdentity(random, hard ? randomNumberShape(random) : undefined);
      const countries = hard ? HARD_COUNTRIES : PASSPORT_COUNTRIES;
      const issuingCountry = countries[Math.floor(random() * countries.length)]!;
      const spec = { ...person, issuingCountry, portrait };
      const names = mrzNames(person.surname, person.givenNames, documentType === 'passport' ? 39 : 30);
      const expected: ExpectedFields = { ...person, ...names, documentType, issuingCountry };
      if (!hard) {
        const image = documentType === 'passport' ? await generatePassport(spec) : await generateIdCard(spec);
        yield { name, degradation, expected, front: await apply(image) };
      } else if (documentType === 'passport') {
        const font = fonts[Math.floor(random() * fonts.length)]!;
        yield { name, degradation, font, expected, front: await apply(await generateHardPassport(spec, font)) };
      } else {
        const font = fonts[Math.floor(random() * fonts.length)]!;
        const card = await generateHardIdCard(spec, font);
        yield { name, degradation, font, expected, front: await degrade.jpeg(60)(card.front), back: await apply(card.back) };
      }
    }
  }
}

/** Document numbers as issuers write them: letters and digits mixed anywhere, seven to nine characters. */
function randomNumberShape(random: () => number): string {
  const length = 7 + Math.floor(random() * 3);
  return Array.from({ length }, () => (random() < 0.4 ? 'A' : '9')).join('');
}

async function* folderSamples(dir: string): AsyncGenerator<Sample> {
  for (const file of readdirSync(dir).sort()) {
    const match = /^(.+?)\.(jpe?g|png)$/i.exec(file);
    if (!match || match[1]!.endsWith('.back')) continue;
    const base = match[1]!;
    if (!existsSync(join(dir, `${base}.json`))) continue;
    const expected = JSON.parse(await readFile(join(dir, `${base}.json`), 'utf8')) as ExpectedFields;
    const backFile = ['jpg', 'jpeg', 'png'].map((ext) => join(dir, `${base}.back.${ext}`)).find(existsSync);
    yield { name: base, degradation: 'as given', expected, front: await readFile(join(dir, file)), ...(backFile ? { back: await readFile(backFile) } : {}) };
  }
}

/** Names match token for token; the last read token may be cut short (a full MRZ name field). */
function sameName(read: string, expected: string): boolean {
  const a = nameTokens(read);
  const b = nameTokens(expected);
  if (a.length === 0 || a.length > b.length) return a.length === b.length;
  return a.every((token, index) => token === b[index] || (index === a.length - 1 && b[index]!.startsWith(token)));
}

function judge(reading: DocumentReading, expected: ExpectedFields): { read: boolean; valid: boolean; outcome: OutcomeClass } {
  const fields = reading.fields;
  if (!fields) return { read: false, valid: false, outcome: reading.retryable ? 'retake' : 'not_read' };
  const machineValid = reading.dataValid;
  const matches = fields.documentType === expected.documentType && fields.issuingCountry === expected.issuingCountry
    && fields.documentNumber === expected.documentNumber.toUpperCase() && sameName(fields.surname, expected.surname)
    && sameName(fields.givenNames, expected.givenNames) && fields.birthDate === expected.birthDate
    && fields.expiryDate === expected.expiryDate && fields.sex === expected.sex;
  const accepted = machineValid && reading.reasons.length === 0;
  const outcome: OutcomeClass = accepted ? (matches ? 'right' : 'wrong_valid') : reading.retryable ? 'retake' : 'rejected';
  return { read: true, valid: machineValid && matches, outcome };
}

const percent = (part: number, whole: number) => (whole === 0 ? '   -  ' : `${((100 * part) / whole).toFixed(1).padStart(5)}%`);

const OUTCOMES: readonly OutcomeClass[] = ['right', 'wrong_valid', 'retake', 'rejected', 'not_read'];

function printTable(outcomes: Outcome[]): void {
  const groups = new Map<string, Outcome[]>();
  for (const outcome of outcomes) {
    const type = outcome.sample.expected.documentType;
    const keys = [`${type} | ${outcome.sample.degradation}`, `${type} | ALL`, ...(outcome.sample.font ? [`${type} | font ${outcome.sample.font}`] : [])];
    for (const key of keys) groups.set(key, [...(groups.get(key) ?? []), outcome]);
  }
  console.log(`${'document type | degradation'.padEnd(40)}  n    read  read+valid  ms/doc  ${OUTCOMES.map((name) => name.padStart(11)).join(' ')}`);
  for (const [key, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const read = group.filter((outcome) => outcome.read).length;
    const valid = group.filter((outcome) => outcome.valid).length;
    const ms = Math.round(group.reduce((sum, outcome) => sum + outcome.ms, 0) / group.length);
    const classes = OUTCOMES.map((name) => String(group.filter((outcome) => outcome.outcome === name).length).padStart(11)).join(' ');
    console.log(`${key.padEnd(40)} ${String(group.length).padStart(3)} ${percent(read, group.length)}  ${percent(valid, group.length)}  ${String(ms).padStart(6)}  ${classes}`);
  }
  for (const failure of outcomes.filter((outcome) => !outcome.valid)) {
    console.log(`  not read+valid: ${failure.sample.name} (${failure.sample.degradation}${failure.sample.font ? `, ${failure.sample.font}` : ''}) ${failure.outcome} reasons=${failure.reasons.join(',') || '-'}`);
  }
}

async function main(): Promise<void> {
  const reader = createDocumentReader({ maxThreads: Number(args.threads) });
  if (args.set !== 'easy' && args.set !== 'hard') throw new Error('--set must be easy or hard');
  const samples = args.dir ? folderSamples(resolve(args.dir)) : syntheticSamples(Number(args.n), args.set === 'hard');
  if (args.save) await mkdir(args.save, { recursive: true });
  const outcomes: Outcome[] = [];
  for await (const sample of samples) {
    if (args.save) {
      await writeFile(join(args.save, `${sample.name}.jpg`), sample.front);
      if (sample.back) await writeFile(join(args.save, `${sample.name}.back.jpg`), sample.back);
      await writeFile(join(args.save, `${sample.name}.json`), JSON.stringify(sample.expected, null, 2));
    }
    const started = performance.now();
    const reading = await reader.read(sample.front, sample.back);
    outcomes.push({ sample, ...judge(reading, sample.expected), ms: performance.now() - started, reasons: reading.reasons });
  }
  await reader.close();
  printTable(outcomes);
  const rate = (types: string[]) => {
    const group = outcomes.filter((outcome) => types.includes(outcome.sample.expected.documentType));
    return group.length === 0 ? null : Math.round((10_000 * group.filter((outcome) => outcome.valid).length) / group.length) / 10_000;
  };
  const wrongValid = outcomes.length === 0 ? null : Math.round((10_000 * outcomes.filter((outcome) => outcome.outcome === 'wrong_valid').length) / outcomes.length) / 10_000;
  const readValid = Object.fromEntries((['passport', 'id_card', 'driver_licence'] as const).map((type) => [type, rate([type])]));
  console.log(JSON.stringify({
    mrz_read_valid: rate(['passport', 'id_card']), pdf417_read_valid: rate(['driver_licence']), wrong_valid: wrongValid, read_valid: readValid,
    n: outcomes.length, set: args.dir ? 'dir' : args.set, seed: Number(args.seed),
  }));
}

await main();
