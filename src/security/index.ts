export { DataCipher } from './data-cipher.ts';
export { humanCode, randomId } from './random-ids.ts';
export { hashSecret, verifySecret } from './secret-hash.ts';
