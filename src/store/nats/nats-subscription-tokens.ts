import type { KV } from '@nats-io/kv';
import type { Logger } from '../../log/logger.js';
import type { SubscriptionToken, SubscriptionTokenStore } from '../subscription-tokens.js';
import type { NatsConnection } from './connection.js';
import { ReplicatedBucket } from './replicated-bucket.js';
import { natsUnavailable } from './unavailable.js';

/** The KV key of a token: `token.<base64url of the token>`. */
function tokenKey(token: string): string {
  return `token.${Buffer.from(token).toString('base64url')}`;
}

/** The token a KV key names, or undefined for other keys. */
function tokenOf(key: string): string | undefined {
  const [kind, encoded] = key.split('.');
  return kind === 'token' && encoded ? Buffer.from(encoded, 'base64url').toString() : undefined;
}

/**
 * Confirmation tokens shared by the nodes of a Herald cluster, in the JetStream KV bucket
 * `<prefix>-tokens`, with a replica in memory: a token created on one node can be confirmed
 * through any other. Writes reach the bucket in the background; {@link settled} tells when
 * they are durable. Every node forgets expired tokens on its own schedule.
 */
export class NatsSubscriptionTokens implements SubscriptionTokenStore {
  private readonly tokens = new Map<string, { value: SubscriptionToken; json: string }>();
  private bucket!: ReplicatedBucket;

  private constructor(private readonly logger: Logger) {}

  /**
   * Opens (creating when missing) the tokens bucket, loads every token and starts watching
   * for other nodes' changes. Fails with `ServiceUnavailable` when NATS does not answer.
   */
  static async open(connection: NatsConnection, logger: Logger): Promise<NatsSubscriptionTokens> {
    const log = logger.child({ component: 'nats-tokens' });
    const name = connection.names.tokens;
    let kv: KV;
    try {
      kv = await connection.bucket(name);
    } catch (error) {
      throw natsUnavailable(`cannot open NATS bucket ${name}`, error);
    }
    const store = new NatsSubscriptionTokens(log);
    store.bucket = await ReplicatedBucket.open({
      kv,
      js: connection.js,
      name,
      logger: log,
      apply: (key, json) => store.applyRemote(key, json),
    });
    return store;
  }

  put(token: SubscriptionToken): void {
    const key = tokenKey(token.token);
    const { token: text, topicArn, subscriptionArn, restore, expiresAt } = token;
    const value = { token: text, topicArn, subscriptionArn, restore, expiresAt };
    const json = JSON.stringify(value);
    this.tokens.set(text, { value: JSON.parse(json) as SubscriptionToken, json });
    this.bucket.put(key, json);
  }

  get(token: string): SubscriptionToken | undefined {
    const entry = this.tokens.get(token);
    return entry && (JSON.parse(entry.json) as SubscriptionToken);
  }

  deleteExpired(now: number): void {
    for (const [token, { value }] of this.tokens) {
      if (value.expiresAt >= now) continue;
      this.tokens.delete(token);
      this.bucket.delete(tokenKey(token));
    }
  }

  /** Resolves once every write made so far is durable; rejects (`ServiceUnavailable`) if not. */
  settled(): Promise<void> {
    return this.bucket.settled();
  }

  /** Waits for the writes in flight and stops watching the bucket. */
  close(): Promise<void> {
    return this.bucket.close();
  }

  private applyRemote(key: string, json: string | undefined): void {
    const token = tokenOf(key);
    if (token === undefined) return;
    if (json === undefined) {
      this.tokens.delete(token);
      return;
    }
    try {
      this.tokens.set(token, { value: JSON.parse(json) as SubscriptionToken, json });
    } catch (error) {
      this.logger.error({ err: error, key }, 'ignoring a token that is not JSON');
    }
  }
}
