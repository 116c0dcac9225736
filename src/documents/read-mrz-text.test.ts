import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTd1, buildTd3 } from './mrz-builder.ts';
import type { MrzData } from './mrz-builder.ts';
import { isStateCode } from './mrz-state-code.ts';
import { isStructurallyValid, readMrzText } from './read-mrz-text.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const DATA: MrzData = {
  documentCode: 'P', issuingCountry: 'GBR', nationality: 'GBR', surname: 'Müller-Lüdenscheidt', givenNames: 'Anna Maria',
  documentNumber: 'L898902C3', birthDate: '1974-08-12', expiryDate: '2032-04-15', sex: 'F',
};

test('TD3 built by the builder reads back field for field', () => {
  const lines = buildTd3(DATA);
  assert.deepEqual(lines, ['P<GBRMUELLER<LUEDENSCHEIDT<<ANNA<MARIA<<<<<<', 'L898902C36GBR7408122F3204153<<<<<<<<<<<<<<<4']);
  const reading = readMrzText(['PASSPORT', ...lines], NOW);
  assert.ok(reading && isStructurallyValid(reading));
  assert.deepEqual(reading.fields, {
    documentType: 'passport', source: 'mrz', mrzFormat: 'TD3', issuingCountry: 'GBR', nationality: 'GBR', documentNumber: 'L898902C3',
    surname: 'MUELLER LUEDENSCHEIDT', givenNames: 'ANNA MARIA', birthDate: '1974-08-12', expiryDate: '2032-04-15', sex: 'F',
  });
});

test('ICAO TD2 specimen (with a real country code) is read', () => {
  const reading = readMrzText(['I<SWEERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907SWE7408122F1204159<<<<<<<6'], NOW);
  assert.ok(reading && isStructurallyValid(reading));
  assert.equal(reading.fields.mrzFormat, 'TD2');
  assert.equal(reading.fields.documentType, 'id_card');
  assert.equal(reading.fields.documentNumber, 'D23145890');
  assert.equal(reading.fields.expiryDate, '2012-04-15');
});

test('dropped and duplicated fillers are restored to the fixed line length', () => {
  const [line1, line2] = buildTd3(DATA);
  const damaged = [line1.replace('<<<<<<<<<<', '<<<<<<<'), line2.replace('<<<<<<<<<<<<<<<', '<<<<<<<<<<<<<<<<<<')];
  const reading = readMrzText(damaged, NOW);
  assert.ok(reading && isStructurallyValid(reading));
  assert.deepEqual(reading.lines, [line1, line2]);
});

test('letter/digit confusions are fixed only where the position fixes the class', () => {
  const [line1, line2] = buildTd1({ ...DATA, documentCode: 'ID', issuingCountry: 'GBR', nationality: 'GBR', surname: 'Smith', givenNames: 'John' });
  // Dates are digits-only, nationality and names letters-only: O→0, I→1, 8→B, 0→O are unambiguous there.
  const damaged2 = line2.replace('7408122', '74O8I22').replace('GBR', 'G8R');
  const reading = readMrzText([line1, damaged2, 'SMITH<<J0HN<<<<<<<<<<<<<<<<<<<'], NOW);
  assert.ok(reading && isStructurallyValid(reading));
  assert.equal(reading.fields.birthDate, '1974-08-12');
  assert.equal(reading.fields.nationality, 'GBR');
  assert.equal(reading.fields.givenNames, 'JOHN');
});

test('a misread digit is never guessed into validity', () => {
  const [line1, line2] = buildTd3(DATA);
  const reading = readMrzText([line1, line2.replace('L898902C3', 'L898903C3')], NOW);
  assert.ok(reading);
  assert.equal(isStructurallyValid(reading), false);
  assert.equal(reading.checks.documentNumber, false);
  assert.equal(reading.checks.composite, false);
  assert.equal(reading.fields.documentNumber, 'L898903C3');
});

test('an O read as 0 in the document number is swapped back only when the printed number confirms it', () => {
  const [line1, line2] = buildTd3({ ...DATA, documentNumber: 'AB12O4567' });
  const misread = [line1, line2.replace('AB12O4567', 'AB1204567')];
  const confirmed = readMrzText(misread, NOW, ['Document no.', 'AB12O4567']);
  assert.ok(confirmed && isStructurallyValid(confirmed));
  assert.equal(confirmed.fields.documentNumber, 'AB12O4567');
  assert.equal(confirmed.numberUnclear, false);
  // Both check digits pass for the swap, but nothing independent says the OCR was wrong: a retake, not a guess.
  for (const printed of [[], ['Document no.', 'AB1204567'], ['Document no.', 'AB12Q4567']]) {
    const unconfirmed = readMrzText(misread, NOW, printed);
    assert.ok(unconfirmed);
    assert.equal(isStructurallyValid(unconfirmed), false, printed.join());
    assert.equal(unconfirmed.fields.documentNumber, 'AB1204567');
    assert.equal(unconfirmed.numberUnclear, true);
  }
  // A misread check digit leaves the composite failing whatever is swapped: reported, not repaired.
  const wrongDigit = readMrzText([line1, `AB12O4567${(Number(line2.charAt(9)) + 3) % 10}${line2.slice(10)}`], NOW, ['AB12O4567']);
  assert.ok(wrongDigit);
  assert.equal(wrongDigit.checks.documentNumber, false);
  assert.equal(wrongDigit.numberUnclear, false);
});

test('issue 12: C10AKNV26 is not "repaired" into another number that passes both check digits', () => {
  const lines = buildTd1({ ...DATA, documentCode: 'ID', issuingCountry: 'CAN', nationality: 'CAN', documentNumber: 'C1CAKNVZ6' });
  const misread = [lines[0].replace('C1CAKNVZ6', 'C10AKNV26'), lines[1], lines[2]];
  const reading = readMrzText(misread, NOW);
  assert.ok(reading);
  assert.notEqual(reading.fields.documentNumber, 'CI0AKNV26');
  assert.equal(isStructurallyValid(reading), false);
});

test('a lost first character does not shift fields into a false valid read', () => {
  const [line1, line2, line3] = buildTd1({ ...DATA, documentCode: 'ID', issuingCountry: 'NLD', nationality: 'NLD', documentNumber: 'M33628H' });
  const reading = readMrzText([line1.slice(1), line2, line3], NOW);
  assert.ok(reading);
  assert.equal(isStructurallyValid(reading), false);
});

test("'<' read as 'K' in names is resolved with the printed names", () => {
  const [line1, line2, line3] = buildTd1({ ...DATA, documentCode: 'ID', issuingCountry: 'DEU', nationality: 'DEU', givenNames: 'Anna Maria Kirsten' });
  assert.equal(line3, 'MUELLER<LUEDENSCHEIDT<<ANNA<MA');
  const ocrName = 'MUELLERKLUEDENSCHEIDTK<ANNAKMA';
  const withVisualZone = readMrzText(['Surname', 'MÜLLER-LÜDENSCHEIDT', 'Given names', 'ANNA MARIA KIRSTEN', line1, line2, ocrName], NOW);
  assert.ok(withVisualZone);
  assert.equal(withVisualZone.fields.surname, 'MUELLER LUEDENSCHEIDT');
  assert.equal(withVisualZone.fields.givenNames, 'ANNA MA');
  assert.equal(withVisualZone.nameConfirmed, true);
  const withoutVisualZone = readMrzText([line1, line2, ocrName], NOW);
  assert.ok(withoutVisualZone);
  assert.equal(withoutVisualZone.nameConfirmed, null);
  assert.equal(withoutVisualZone.fields.surname, 'MUELLERKLUEDENSCHEIDTK ANNAKMA');
});

test('a genuine K in a name survives the visual cross-check', () => {
  const [line1, line2] = buildTd3({ ...DATA, surname: 'Kirk', givenNames: 'Kevin' });
  const reading = readMrzText(['KIRK', 'KEVIN', line1, line2], NOW);
  assert.ok(reading);
  assert.equal(reading.fields.surname, 'KIRK');
  assert.equal(reading.fields.givenNames, 'KEVIN');
  assert.equal(reading.nameConfirmed, true);
});

test('OCR look-alike characters and spaces are folded', () => {
  const [line1, line2] = buildTd3({ ...DATA, documentNumber: 'X12345678' });
  const reading = readMrzText([line1.replace(/</g, '«'), `×12345 678${line2.slice(9)}`], NOW);
  assert.ok(reading && isStructurallyValid(reading));
  assert.equal(reading.fields.documentNumber, 'X12345678');
});

test('text without an MRZ gives no reading', () => {
  assert.equal(readMrzText(['PASSPORT', 'SMITH', 'JOHN PETER', '12 AUG 1974'], NOW), null);
  assert.equal(readMrzText([], NOW), null);
});

test('two-digit years: birth in the past, expiry up to twenty years ahead', () => {
  const lines = buildTd3({ ...DATA, birthDate: '2019-03-02', expiryDate: '2045-03-02' });
  const reading = readMrzText(lines, NOW);
  assert.equal(reading?.fields.birthDate, '2019-03-02');
  assert.equal(reading?.fields.expiryDate, '2045-03-02');
  const old = readMrzText(buildTd3({ ...DATA, birthDate: '1930-03-02', expiryDate: '2020-03-02' }), NOW);
  assert.equal(old?.fields.birthDate, '1930-03-02');
  assert.equal(old?.fields.expiryDate, '2020-03-02');
});

test('corrupting a check digit fails exactly that check', () => {
  const keys = { documentNumberCheckDigit: 'documentNumber', birthDateCheckDigit: 'birthDate', expiryDateCheckDigit: 'expiryDate', compositeCheckDigit: 'composite' } as const;
  for (const [corrupt, check] of Object.entries(keys) as Array<[keyof typeof keys, (typeof keys)[keyof typeof keys]]>) {
    for (const lines of [buildTd3({ ...DATA, corrupt }), buildTd1({ ...DATA, documentCode: 'ID', corrupt })]) {
      const reading = readMrzText(lines, NOW);
      assert.ok(reading);
      const failed = Object.entries(reading.checks).filter(([, passed]) => passed === false).map(([name]) => name);
      assert.deepEqual(failed, [check], corrupt);
    }
  }
});

test('printed names run together by OCR still split the MRZ name at the right K', () => {
  const ocrName = 'KOWALSKIKKMAXIMILIANKALEXANDER';
  const lines = ['IDNGAYN0VC18<<7<<<<<<<<<<<<<<<', '0110255<3108055NGA<<<<<<<<<<<4', ocrName];
  const reading = readMrzText(['KOWALSKI', 'MAXIMILIANALEXANDER KONSTANTIN', ...lines], NOW);
  assert.equal(reading?.fields.surname, 'KOWALSKI');
  assert.equal(reading?.fields.givenNames, 'MAXIMILIAN ALEXANDER');
});

test('an OCR "1" for an "I" in the document number is swapped back when the printed number on the other side agrees', () => {
  const lines = buildTd1({ ...DATA, documentCode: 'ID', issuingCountry: 'CAN', nationality: 'CAN', documentNumber: 'IK6167641' });
  const misread = [lines[0].replace('IK6167641', '1K6167641'), lines[1], lines[2]];
  const reading = readMrzText(misread, NOW, ['CANADA', 'IDENTITY CARD', 'IK 616 7641']);
  assert.ok(reading && isStructurallyValid(reading));
  assert.equal(reading.fields.documentNumber, 'IK6167641');
  assert.equal(readMrzText(misread, NOW)?.numberUnclear, true);
});

test('a wrong document number check digit is not "repaired" by swapping characters', () => {
  for (const documentNumber of ['L898902C3', 'IK6167641', 'OB1234560', 'ZS0000018']) {
    const reading = readMrzText(buildTd3({ ...DATA, documentNumber, corrupt: 'documentNumberCheckDigit' }), NOW);
    assert.ok(reading);
    assert.equal(reading.checks.documentNumber, false, documentNumber);
    assert.equal(reading.fields.documentNumber, documentNumber);
  }
});

test('a letter OCR dropped from an MRZ name is restored from the printed name', () => {
  const [line1, line2, line3] = buildTd1({ ...DATA, documentCode: 'ID', issuingCountry: 'FRA', nationality: 'FRA', surname: 'Kim', givenNames: 'Olga' });
  const dropped = line3.replace('OLGA', 'OGA') + '<';
  const reading = readMrzText([line1, line2, dropped], NOW, ['Surname / Nom', 'KIM', 'Given names / Prénoms', 'OLGA']);
  assert.ok(reading && isStructurallyValid(reading));
  assert.equal(reading.fields.givenNames, 'OLGA');
  assert.equal(reading.nameConfirmed, true);
  // Without the printed name there is no evidence, and nothing is invented.
  assert.equal(readMrzText([line1, line2, dropped], NOW)?.fields.givenNames, 'OGA');
});

test('issuing state and nationality misreads map back onto the ICAO list only when one code fits', () => {
  const [line1, line2, line3] = buildTd1({ ...DATA, documentCode: 'ID', issuingCountry: 'CAN', nationality: 'CAN', documentNumber: 'C1CAKNVZ6' });
  const canada = readMrzText([line1.replace('IDCAN', 'IDOAN'), line2.replace('CAN<', 'OAN<'), line3], NOW);
  assert.ok(canada && isStructurallyValid(canada));
  assert.deepEqual([canada.fields.issuingCountry, canada.fields.nationality], ['CAN', 'CAN']);
  const [p1, p2] = buildTd3({ ...DATA, issuingCountry: 'DEU', nationality: 'DEU' });
  const germany = readMrzText([p1.replace('P<DEU', 'P<OEO'), p2.replace('DEU', '0E0')], NOW);
  assert.ok(germany && isStructurallyValid(germany));
  assert.deepEqual([germany.fields.issuingCountry, germany.fields.nationality], ['DEU', 'DEU']);
  // 'NLO' could be NLD, NIU or NIC: no guess, the field stays invalid.
  const [n1, n2] = buildTd3({ ...DATA, issuingCountry: 'NLD', nationality: 'NLD' });
  const ambiguous = readMrzText([n1.replace('P<NLD', 'P<NLO'), n2], NOW);
  assert.ok(ambiguous);
  assert.equal(isStructurallyValid(ambiguous), false);
  assert.deepEqual(ambiguous.invalidFields, ['issuingState']);
});

test('the ICAO 9303 non-ISO codes are state codes: D, GBD…GBS, UNO/UNA/UNK, XXA…XXX, EUE', () => {
  for (const code of ['D<<', 'GBD', 'GBN', 'GBO', 'GBP', 'GBS', 'UNO', 'UNA', 'UNK', 'XXA', 'XXB', 'XXC', 'XXX', 'EUE', 'UTO']) assert.ok(isStateCode(code), code);
  assert.equal(isStateCode('OAN'), false);
  const reading = readMrzText(buildTd3({ ...DATA, issuingCountry: 'D<<', nationality: 'D<<' }), NOW);
  assert.ok(reading && isStructurallyValid(reading));
  assert.equal(reading.fields.nationality, 'D');
});

test('issue 12: a TD1 name with "<" read as "K" is decoded with the name printed on the other side', () => {
  const [line1, line2, line3] = buildTd1({
    ...DATA, documentCode: 'ID', issuingCountry: 'POL', nationality: 'POL', surname: 'Szymańska-Lewandowska', givenNames: 'Anna',
  });
  assert.equal(line3, 'SZYMANSKA<LEWANDOWSKA<<ANNA<<<');
  const ocr = [line1, line2, 'SZYMANSKAKLEWANDOWSKA<<ANNA<<K'];
  // The back carries only the MRZ: without the front there is no evidence for the K, and nothing is confirmed.
  const backOnly = readMrzText(ocr, NOW);
  assert.equal(backOnly?.nameConfirmed, null);
  assert.equal(backOnly?.fields.givenNames, 'ANNA', 'a K after "<<" in the trailing fillers is a filler by the MRZ grammar');
  const front = ['RZECZPOSPOLITA POLSKA', 'DOWÓD OSOBISTY', 'NAZWISKO / SURNAME', 'SZYMAŃSKA-LEWANDOWSKA', 'IMIONA / GIVEN NAMES', 'ANNA'];
  const reading = readMrzText(ocr, NOW, front);
  assert.ok(reading && isStructurallyValid(reading));
  assert.equal(reading.fields.surname, 'SZYMANSKA LEWANDOWSKA');
  assert.equal(reading.fields.givenNames, 'ANNA');
  assert.equal(reading.nameConfirmed, true);
});

test('a name letter misread in the MRZ (LINDQVIST → LINDOVIST) is not confirmed by the printed name', () => {
  const [line1, line2, line3] = buildTd1({ ...DATA, documentCode: 'ID', issuingCountry: 'SWE', nationality: 'SWE', surname: 'Lindqvist', givenNames: 'Erik' });
  const reading = readMrzText([line1, line2, line3.replace('LINDQVIST', 'LINDOVIST')], NOW, ['SVERIGE', 'LINDQVIST', 'ERIK']);
  assert.ok(reading);
  assert.equal(reading.nameConfirmed, false);
  // Transliteration drift (letters added or dropped) still confirms.
  const [t1, t2] = buildTd3({ ...DATA, surname: 'Müller', givenNames: 'Erik' });
  assert.equal(readMrzText([t1, t2], NOW, ['MULLER', 'ERIK'])?.nameConfirmed, true);
});
