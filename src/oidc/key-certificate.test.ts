import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import forge from 'node-forge';
import { keyCertificate } from './key-certificate.ts';

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** Every string in the certificate's names, with its ASN.1 type. */
function nameStrings(der: Buffer): Array<{ type: number; value: string }> {
  const strings: Array<{ type: number; value: string }> = [];
  const walk = (node: forge.asn1.Asn1) => {
    if (Array.isArray(node.value)) node.value.forEach(walk);
    else if (node.tagClass === forge.asn1.Class.UNIVERSAL && [forge.asn1.Type.PRINTABLESTRING, forge.asn1.Type.UTF8].includes(node.type)) {
      strings.push({ type: node.type, value: node.value });
    }
  };
  walk(forge.asn1.fromDer(der.toString('binary')));
  return strings;
}

test('the x5c certificate is valid for any kid, including base64url characters PrintableString cannot hold', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  for (const kid of ['a_b-c_d', 'plain-kid-0123', '_leading_underscore_']) {
    const der = Buffer.from(keyCertificate(jwk, kid, Date.now()), 'base64');
    const certificate = new X509Certificate(der);
    assert.match(certificate.subject, new RegExp(`CN=verid ${kid}`));
    assert.ok(certificate.verify(certificate.publicKey), 'self-signed');
    // Go's crypto/x509 refuses a PrintableString holding `_` (invalid RDNSequence), and with it the JWKS.
    for (const { type, value } of nameStrings(der)) {
      assert.ok(type === forge.asn1.Type.UTF8 || PRINTABLE.test(value), `${value} is a PrintableString it cannot be`);
    }
  }
});
