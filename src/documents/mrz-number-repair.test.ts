// Property: whatever an OCR does to one or two characters of a valid MRZ, the reader never turns
// the misread into a different document number that it then accepts as valid. The only wrong
// numbers it may return are the ones the OCR itself produced and the check digits cannot see
// (a 6 read as G: same value modulo 10), and those it returns as read, never as a repair.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../test/support/random-identity.ts';
import { buildTd1, buildTd3 } from './mrz-builder.ts';
import type { MrzData } from './mrz-builder.ts';
import { documentNumberOf } from './mrz-number-repair.ts';
import { isStructurallyValid, readMrzText } from './read-mrz-text.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';
/** What OCR engines really confuse in OCR-B, both ways. */
const LOOKALIKES: Readonly<Record<string, string>> = {
  O: '0DQU', '0': 'ODQ', D: '0O', Q: '0O', I: '1L', '1': 'IL7', L: '1I', S: '58', '5': 'S', B: '8', '8': 'B3S', Z: '2', '2': 'Z',
  G: '6C', '6': 'G', C: 'G', E: 'F', F: 'E', U: 'V0', V: 'U', A: '4', '4': 'A', T: '7', '7': 'T1', K: '<', '<': 'K',
};
const COUNTRIES = ['CAN', 'DEU', 'FRA', 'GBR', 'NLD', 'POL', 'USA', 'ESP'];

function randomData(random: () => number): MrzData {
  const pick = (chars: string) => chars.charAt(Math.floor(random() * chars.length));
  const length = random() < 0.8 ? 9 : 7 + Math.floor(random() * 2);
  const documentNumber = Array.from({ length }, () => (random() < 0.45 ? pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ') : pick('0123456789'))).join('');
  const day = (from: number, span: number) => new Date(Date.UTC(from, 0, 1) + Math.floor(random() * span * 365) * 86_400_000).toISOString().slice(0, 10);
  const country = COUNTRIES[Math.floor(random() * COUNTRIES.length)]!;
  return {
    documentCode: 'P', issuingCountry: country, nationality: country, surname: 'Doe', givenNames: 'Jane',
    documentNumber, birthDate: day(1950, 50), expiryDate: day(2027, 9), sex: random() < 0.5 ? 'F' : 'M',
  };
}

function corrupt(lines: readonly string[], positions: ReadonlyArray<[number, number]>, random: () => number): string[] {
  const out = [...lines];
  for (const [line, index] of positions) {
    const original = out[line]!.charAt(index);
    const lookalikes = LOOKALIKES[original];
    const pool = lookalikes && random() < 0.7 ? lookalikes : ALPHABET.replace(original, '');
    out[line] = out[line]!.slice(0, index) + pool.charAt(Math.floor(random() * pool.length)) + out[line]!.slice(index + 1);
  }
  return out;
}

test('random one- and two-character misreads of valid MRZs never become a different accepted document number', () => {
  const random = seededRandom(12);
  let accepted = 0;
  let invisible = 0;
  let repaired = 0;
  for (let document = 0; document < 200; document++) {
    const data = randomData(random);
    for (const format of ['TD3', 'TD1'] as const) {
      const lines = format === 'TD3' ? buildTd3(data) : buildTd1({ ...data, documentCode: 'ID' });
      const truth = documentNumberOf(lines, format);
      // The data lines (not the name line, which has no check digit).
      const dataLines = format === 'TD3' ? [1] : [0, 1];
      const position = (): [number, number] => {
        const line = dataLines[Math.floor(random() * dataLines.length)]!;
        return [line, Math.floor(random() * lines[line]!.length)];
      };
      for (let trial = 0; trial < 8; trial++) {
        const misread = corrupt(lines, trial % 2 === 0 ? [position()] : [position(), position()], random);
        const ocrNumber = documentNumberOf(misread, format);
        // Printed zones: none, the true number, and a printed number misread the same way as the MRZ.
        for (const printed of [[], ['Document no.', truth], ['Document no.', ocrNumber]]) {
          const reading = readMrzText(misread, NOW, printed);
          if (!reading || !isStructurallyValid(reading)) continue;
          accepted++;
          const number = reading.fields.documentNumber;
          if (number === truth) {
            if (ocrNumber !== truth) repaired++;
            continue;
          }
          assert.notEqual(printed[1], truth, `${format} ${lines.join('/')} read as ${misread.join('/')}: the printed number contradicts ${number}`);
          assert.equal(documentNumberOf(reading.lines, format), ocrNumber, `${format} ${lines.join('/')} read as ${misread.join('/')}: repaired into ${number}`);
          invisible++;
        }
      }
    }
  }
  assert.ok(accepted > 2000 && repaired > 0, `accepted ${accepted}, repaired ${repaired}`);
  // Same-value look-alikes (6/G, 8/S, 1/L, K/<) are invisible to every check digit; without a printed
  // number to contradict them they remain the OCR's own reading (printed zones read the same way).
  assert.ok(invisible < accepted / 10, `invisible ${invisible} of ${accepted}`);
});
