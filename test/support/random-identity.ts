// Seeded random identities for synthetic documents (benches): names with diacritics and hyphens,
// plausible dates and numbers. Deterministic for a seed, so runs can be compared.

export interface RandomIdentity {
  surname: string;
  givenNames: string;
  sex: 'M' | 'F';
  birthDate: string;
  expiryDate: string;
  documentNumber: string;
}

const SURNAMES = ['Smith', 'García-López', 'Müller', 'Nguyen', "O'Connor", 'Kowalski', 'Johansson', 'Rossi', 'Dubois', 'Öztürk',
  'Papadopoulos', 'Schwarzenegger-Kuklinski', 'Kim', 'Fernández', 'Van der Berg', 'Dvořák', 'Mbeki', 'Lindqvist', 'Ivanova', 'Brown'];
const MALE = ['John', 'José María', 'Lukas', 'Minh', 'Seán', 'Piotr', 'Erik', 'Marco', 'François', 'Mehmet', 'Alexander James'];
const FEMALE = ['Anna', 'Zoë', 'María José', 'Ingrid', 'Chloé', 'Aisha', 'Olga', 'Mary Elizabeth', 'Hélène', 'Yuki', 'Siobhán'];

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const isoDate = (random: () => number, fromYear: number, toYear: number) => {
  const start = Date.UTC(fromYear, 0, 1);
  const end = Date.UTC(toYear, 11, 31);
  return new Date(start + Math.floor(random() * (end - start) / 86_400_000) * 86_400_000).toISOString().slice(0, 10);
};

/** `numberShape`: 'A' letter, '9' digit, anything else literal (e.g. 'A9999999' for licences). */
export function randomIdentity(random: () => number, numberShape = 'AA9999999', today = new Date()): RandomIdentity {
  const sex = random() < 0.5 ? 'M' : 'F';
  const year = today.getUTCFullYear();
  const documentNumber = [...numberShape].map((char) =>
    char === 'A' ? String.fromCharCode(65 + Math.floor(random() * 26)) : char === '9' ? String(Math.floor(random() * 10)) : char).join('');
  return {
    surname: pick(random, SURNAMES),
    givenNames: pick(random, sex === 'M' ? MALE : FEMALE),
    sex,
    birthDate: isoDate(random, 1950, year - 18),
    expiryDate: isoDate(random, year + 1, year + 9),
    documentNumber,
  };
}
