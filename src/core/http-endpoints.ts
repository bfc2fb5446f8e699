import { readFile } from 'node:fs/promises';
import { DEFAULTS } from '../config/defaults.js';
import { ConfirmationSender } from '../delivery/http/confirmation-sender.js';
import { HttpDelivery } from '../delivery/http/http-delivery.js';
import { HttpTransport } from '../delivery/http/http-transport.js';
import type { EnvelopeContext } from '../delivery/envelope.js';
import type { Logger } from '../log/logger.js';
import { MessageSigner } from '../signing/message-signer.js';
import { loadSigningIdentity, type SigningIdentity } from '../signing/signing-identity.js';
import type { HeraldOptions } from './options.js';
import type { Registry } from './registry.js';

/** What HTTP(S) delivery needs read from disk before Herald starts. */
export interface HttpEndpointFiles {
  identity: SigningIdentity;
  /** Extra CA certificates (PEM) for https endpoints. */
  ca?: string;
}

/** Reads (or on first start generates) the signing identity, and the CA file if any. */
export async function loadHttpEndpointFiles(options: HeraldOptions): Promise<HttpEndpointFiles> {
  const identity = await loadSigningIdentity({
    dataDir: options.dataDir,
    ...(options.signingKeyFile === undefined ? {} : { keyFile: options.signingKeyFile }),
    ...(options.signingCertFile === undefined ? {} : { certFile: options.signingCertFile }),
  });
  if (options.caFile === undefined) return { identity };
  return { identity, ca: await readFile(options.caFile, 'utf8') };
}

/**
 * Everything Herald uses to talk to HTTP(S) endpoints: the pooled transport, the signed
 * envelopes (also used for SQS subscriptions), the per-origin delivery targets and the
 * sender of confirmation messages.
 */
export class HttpEndpoints {
  readonly envelopes: EnvelopeContext;
  readonly delivery: HttpDelivery;
  readonly confirmationSender: ConfirmationSender;
  private readonly transport: HttpTransport;

  constructor(
    options: HeraldOptions,
    files: HttpEndpointFiles,
    registry: Registry,
    logger: Logger,
  ) {
    this.transport = new HttpTransport({
      allowPrivateEndpoints: options.allowPrivateEndpoints ?? false,
      timeoutMs: options.httpTimeoutMs ?? DEFAULTS.httpTimeoutMs,
      connectionsPerOrigin: DEFAULTS.httpConnectionsPerOrigin,
      ...(files.ca === undefined ? {} : { ca: files.ca }),
    });
    this.envelopes = {
      baseUrl: options.publicUrl ?? `http://${DEFAULTS.host}:${DEFAULTS.port}`,
      signer: new MessageSigner(files.identity),
      signatureVersionOf: (topicArn) =>
        registry.topic(topicArn)?.attributes.SignatureVersion === '2' ? '2' : '1',
    };
    this.delivery = new HttpDelivery({
      transport: this.transport,
      envelopes: this.envelopes,
      topicDeliveryPolicy: (topicArn) => registry.topic(topicArn)?.attributes.DeliveryPolicy ?? '',
      timeScale: options.deliveryPolicyTimeScale ?? DEFAULTS.deliveryPolicyTimeScale,
      concurrencyPerOrigin: DEFAULTS.httpConnectionsPerOrigin,
    });
    this.confirmationSender = new ConfirmationSender(
      this.transport,
      this.envelopes,
      DEFAULTS.confirmationRetryDelaysMs,
      logger,
    );
  }

  /** Points SubscribeURL, UnsubscribeURL and SigningCertURL at `url` (no trailing slash). */
  usePublicUrl(url: string): void {
    this.envelopes.baseUrl = url;
  }

  /** The PEM certificate served at SigningCertURL. */
  get signingCertificate(): string {
    return this.envelopes.signer.certificatePem;
  }

  /** Stops resending confirmations and closes the pooled connections. */
  async close(): Promise<void> {
    this.confirmationSender.close();
    await this.transport.close();
  }
}
