import { readFile } from 'node:fs/promises';

const FACES = new URL('../fixtures/faces/', import.meta.url);

/** A committed, redistributable test face (see test/fixtures/faces/MANIFEST.tsv). */
export function face(path: string): Promise<Buffer> {
  return readFile(new URL(path, FACES));
}
