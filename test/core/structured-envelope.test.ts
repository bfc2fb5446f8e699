import { createPublicKey, createVerify, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationEnvelope, type EnvelopeContext } from '../../src/delivery/envelope.js';
import type { PublishedMessage } from '../../src/domain/message.js';
import { MessageSigner } from '../../src/signing/message-signer.js';
import { loadSigningIdentity } from '../../src/signing/signing-identity.js';
import { stringToSign } from '../../src/signing/string-to-sign.js';
import { tempDir } from '../support/temp-dir.js';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:structured';

describe('envelopes of structured messages', () => {
  const dir = tempDir();
  let context: EnvelopeContext;
  let certificatePem: string;

  beforeAll(async () => {
    const identity = await loadSigningIdentity({ dataDir: dir.path });
    certificatePem = identity.certificatePem;
    context = {
      baseUrl: 'http://herald.test',
      signer: new MessageSigner(identity),
      signatureVersionOf: () => '2',
    };
  });

  afterAll(() => dir.remove());

  const message: PublishedMessage = {
    seq: 1,
    messageId: '7d2b8c1e-0000-4000-8000-000000000001',
    topicArn: TOPIC_ARN,
    body: 'default body',
    protocolBodies: { https: 'for https' },
    attributes: {},
    publishedAt: Date.UTC(2024, 0, 1),
  };

  function verifies(envelope: Record<string, string>): boolean {
    const verifier = createVerify('sha256');
    verifier.update(stringToSign({ ...envelope, Type: 'Notification' }));
    const key = createPublicKey(
      new X509Certificate(certificatePem).publicKey.export({
        type: 'spki',
        format: 'pem',
      }),
    );
    return verifier.verify(key, envelope.Signature!, 'base64');
  }

  it('carries and signs the body of the subscription protocol', () => {
    const https = JSON.parse(
      notificationEnvelope(message, { arn: `${TOPIC_ARN}:a`, protocol: 'https' }, context),
    ) as Record<string, string>;
    const http = JSON.parse(
      notificationEnvelope(message, { arn: `${TOPIC_ARN}:b`, protocol: 'http' }, context),
    ) as Record<string, string>;

    expect(https.Message).toBe('for https');
    expect(http.Message).toBe('default body');
    expect(https.Signature).not.toBe(http.Signature);
    expect(verifies(https)).toBe(true);
    expect(verifies(http)).toBe(true);
  });
});
