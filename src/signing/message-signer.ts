import { sign } from 'node:crypto';
import { bodyFor, type PublishedMessage } from '../domain/message.js';
import type { Protocol } from '../domain/subscription.js';
import type { SigningIdentity } from './signing-identity.js';
import { stringToSign, type SignedFields } from './string-to-sign.js';

/** SNS's signature versions: 1 is SHA1withRSA, 2 is SHA256withRSA. */
export type SignatureVersion = '1' | '2';

const DIGESTS: Record<SignatureVersion, string> = { '1': 'sha1', '2': 'sha256' };

/** A message's notification signatures, by version and the protocol whose body they sign. */
type SignatureCache = Map<string, string>;

/**
 * Signs SNS messages with Herald's key as AWS does: RSA over the canonical string, base64.
 * A notification's signature covers only fields of the message itself, so it is computed
 * once per message, version and body, and shared by every subscription it fans out to (a
 * structured message's own body for a protocol gets its own signature).
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

  /**
   * The signature of a message's `Notification` envelope to a subscriber of `protocol`,
   * cached on the message.
   */
  notificationSignature(
    message: PublishedMessage,
    version: SignatureVersion,
    protocol: Protocol,
  ): string {
    let cache = this.notifications.get(message);
    if (!cache) {
      cache = new Map();
      this.notifications.set(message, cache);
    }
    const own = message.protocolBodies?.[protocol] !== undefined;
    const key = own ? `${version}:${protocol}` : version;
    let signature = cache.get(key);
    if (signature === undefined) {
      signature = this.sign(notificationFields(message, protocol), version);
      cache.set(key, signature);
    }
    return signature;
  }
}

/**
 * The fields of a message's `Notification` envelope to a subscriber of `protocol` that its
 * signature covers: the body is the one that subscriber receives.
 */
export function notificationFields(message: PublishedMessage, protocol: Protocol): SignedFields {
  return {
    Type: 'Notification',
    MessageId: message.messageId,
    TopicArn: message.topicArn,
    Subject: message.subject,
    Message: bodyFor(message, protocol),
    Timestamp: new Date(message.publishedAt).toISOString(),
  };
}
