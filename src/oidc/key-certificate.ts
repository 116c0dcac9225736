import { createHash, createPrivateKey, sign, type JsonWebKeyInput } from 'node:crypto';
import forge from 'node-forge';

const TEN_YEARS_MS = 10 * 365.25 * 86_400_000;
const certificates = new Map<string, string>();

const bigInteger = (base64url: string) => new forge.jsbn.BigInteger(Buffer.from(base64url, 'base64url').toString('hex'), 16);

/**
 * A self-signed X.509 certificate (base64 DER, the `x5c` member of a JWK, RFC 7517 §4.7) for an
 * RSA signing key: Microsoft Entra reads an external authentication method's keys from `x5c`.
 * Derived only from the key and its record (serial from the kid, validity from its creation time),
 * and PKCS #1 v1.5 signatures are deterministic, so every instance publishes the same certificate
 * without storing it. node-forge assembles the certificate; node:crypto signs it (docs/adr/0007).
 */
export function keyCertificate(privateJwk: Record<string, unknown>, kid: string, createdAt: number): string {
  const known = certificates.get(kid);
  if (known) return known;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(bigInteger(String(privateJwk.n)), bigInteger(String(privateJwk.e)));
  // A positive 16-byte serial number (RFC 5280 §4.1.2.2), the same for the same key everywhere.
  cert.serialNumber = `01${createHash('sha256').update(kid).digest('hex').slice(0, 30)}`;
  const notBefore = new Date(Math.floor(createdAt / 1000) * 1000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date(notBefore.getTime() + TEN_YEARS_MS);
  // UTF8String (RFC 5280 §4.1.2.4): node-forge's default PrintableString may not hold a kid's `_`,
  // and strict parsers (Go's crypto/x509, so go-jose and go-oidc) then reject the whole JWKS.
  const name = [{ name: 'commonName', value: `verid ${kid}`, valueTagClass: forge.asn1.Type.UTF8 as number }];
  cert.setSubject(name);
  cert.setIssuer(name);
  const signatureOid = forge.pki.oids.sha256WithRSAEncryption!;
  // Fields node-forge's sign() would set; the signature itself comes from node:crypto (native, fast).
  const unsigned = cert as unknown as { siginfo: { algorithmOid: string }; signatureOid: string; signature: string };
  unsigned.siginfo.algorithmOid = signatureOid;
  unsigned.signatureOid = signatureOid;
  // getTBSCertificate is part of node-forge's API, missing from its type definitions.
  const { getTBSCertificate } = forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 };
  const tbs = Buffer.from(forge.asn1.toDer(getTBSCertificate(cert)).getBytes(), 'binary');
  const key = createPrivateKey({ key: privateJwk, format: 'jwk' } as JsonWebKeyInput);
  unsigned.signature = sign('sha256', tbs, key).toString('binary');
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  const x5c = Buffer.from(der, 'binary').toString('base64');
  certificates.set(kid, x5c);
  return x5c;
}
