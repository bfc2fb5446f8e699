import { sign } from 'node:crypto';
import type { PublishedMessage } from '../domain/message.js';
import type { SigningIdentity } from './signing-identity.js';
import { stringToSign, type SignedFields } from './string-to-sign.js';

/** SNS's signature versions: 1 is SHA1withRSA, 2 is SHA256withRSA. */
export type SignatureVersion = '1' | '2';

const DIGESTS: Record<SignatureVersion, string> = { '1': 'sha1', '2': 'sha256' };

/** A message's notification signatures, by version. */
type SignatureCache = Partial<Record<SignatureVersion, string>>;

/**
 * Signs SNS messages with Herald's key as AWS does: RSA over the canonical string, base64.
 * A notification's signature covers only fields of the message itself, so it is computed
 * once per message and version and shared by every subscription it fans out to.
 */
export class MessageSigner {
  private readonly notifications = new WeakMap<PublishedMessage, SignatureCache>();

  constructor(private readonly identity: SigningIdentity) {}

  /** The PEM certificate receivers verify signatures with. */
  get certificatePem(): string {
    return this.identity.certificatePem;
  }

  /** The base64 signature of a message's signed fields. */
  sign(fields: SignedFields, version: SignatureVersion): string {
    const text = Buffer.from(stringToSign(fields), 'utf8');
    return sign(DIGESTS[version], text, this.identity.privateKey).toString('base64');
  }

  /** The signature of a message's `Notification` envelope, cached on the message. */
  notificationSignature(message: PublishedMessage, version: SignatureVersion): string {
    let cache = this.notifications.get(message);
    if (!cache) {
      cache = {};
      this.notifications.set(message, cache);
    }
    return (cache[version] ??= this.sign(notificationFields(message), version));
  }
}

/** The fields of a message's `Notification` envelope that its signature covers. */
export function notificationFields(message: PublishedMessage): SignedFields {
  return {
    Type: 'Notification',
    MessageId: message.messageId,
    TopicArn: message.topicArn,
    Subject: message.subject,
    Message: message.body,
    Timestamp: new Date(message.publishedAt).toISOString(),
  };
}
