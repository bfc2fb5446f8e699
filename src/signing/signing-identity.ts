import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/** The key Herald signs messages with and the certificate receivers verify them by. */
export interface SigningIdentity {
  privateKey: KeyObject;
  /** The PEM certificate served at SigningCertURL. */
  certificatePem: string;
}

/** Where the signing key and certificate come from. */
export interface SigningIdentitySource {
  dataDir: string;
  /** A PEM private key to use instead of the generated one (with `certFile`). */
  keyFile?: string;
  /** The PEM certificate of `keyFile`. */
  certFile?: string;
}

/** Years a generated certificate is valid. */
const CERTIFICATE_YEARS = 10;

/**
 * Loads the signing identity: the supplied key and certificate files, or the pair kept
 * in `<dataDir>/signing/`, generated (RSA 2048, self-signed) on first start. Throws when
 * only one file is supplied or the key does not belong to the certificate.
 */
export async function loadSigningIdentity(source: SigningIdentitySource): Promise<SigningIdentity> {
  if ((source.keyFile === undefined) !== (source.certFile === undefined)) {
    throw new Error('signingKeyFile and signingCertFile must be supplied together');
  }

  const folder = join(source.dataDir, 'signing');
  const keyFile = source.keyFile ?? join(folder, 'private-key.pem');
  const certFile = source.certFile ?? join(folder, 'certificate.pem');
  if (source.keyFile === undefined && !existsSync(keyFile)) {
    await generateIdentity(folder, keyFile, certFile);
  }

  const [keyPem, certificatePem] = await Promise.all([
    readFile(keyFile, 'utf8'),
    readFile(certFile, 'utf8'),
  ]);
  const privateKey = createPrivateKey(keyPem);
  if (!new X509Certificate(certificatePem).checkPrivateKey(privateKey)) {
    throw new Error(`the signing key ${keyFile} does not belong to the certificate ${certFile}`);
  }
  return { privateKey, certificatePem };
}

async function generateIdentity(folder: string, keyFile: string, certFile: string) {
  const notBeforeDate = new Date();
  const notAfterDate = new Date(notBeforeDate);
  notAfterDate.setFullYear(notAfterDate.getFullYear() + CERTIFICATE_YEARS);

  const pems = await generate([{ name: 'commonName', value: 'Herald SNS message signing' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
    ],
  });

  await mkdir(folder, { recursive: true, mode: 0o700 });
  await writeFile(certFile, pems.cert);
  await writeFile(keyFile, pems.private, { mode: 0o600 });
}
