import { createVerify } from 'node:crypto';

/** The fields AWS documents as signed, by message type, in order. */
const SIGNED_KEYS: Record<string, string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: [
    'Message',
    'MessageId',
    'SubscribeURL',
    'Timestamp',
    'Token',
    'TopicArn',
    'Type',
  ],
  UnsubscribeConfirmation: [
    'Message',
    'MessageId',
    'SubscribeURL',
    'Timestamp',
    'Token',
    'TopicArn',
    'Type',
  ],
};

/**
 * Verifies an SNS message the way AWS tells receivers to: check the certificate URL is
 * trusted, fetch the certificate, rebuild the string to sign and verify the signature
 * with SHA1withRSA (version 1) or SHA256withRSA (version 2). Written from AWS's
 * documentation, independently of Herald's code.
 */
export async function verifySnsSignature(
  message: Record<string, string>,
  trustedCertPrefix: string,
): Promise<boolean> {
  const certUrl = message.SigningCertURL ?? '';
  if (!certUrl.startsWith(trustedCertPrefix)) throw new Error(`untrusted cert URL ${certUrl}`);
  const response = await fetch(certUrl);
  const certificate = await response.text();

  let text = '';
  for (const key of SIGNED_KEYS[message.Type ?? ''] ?? []) {
    if (message[key] !== undefined) text += `${key}\n${message[key]}\n`;
  }
  const algorithm = message.SignatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1';
  return createVerify(algorithm)
    .update(text, 'utf8')
    .verify(certificate, message.Signature ?? '', 'base64');
}
