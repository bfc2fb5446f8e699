import type { SubscriptionToken, SubscriptionTokenStore } from '../subscription-tokens.js';
import type { SqliteDatabase } from './database.js';
import { storeWrite } from './store-errors.js';

interface TokenRow {
  token: string;
  topic_arn: string;
  subscription_arn: string;
  restore: string | null;
  expires_at: number;
}

/** Confirmation tokens in the `subscription_tokens` table. */
export class SqliteSubscriptionTokens implements SubscriptionTokenStore {
  constructor(private readonly db: SqliteDatabase) {}

  put(token: SubscriptionToken): void {
    const statement = this.db.prepare(
      'INSERT OR REPLACE INTO subscription_tokens' +
        ' (token, topic_arn, subscription_arn, restore, expires_at) VALUES (?, ?, ?, ?, ?)',
    );
    const restore = token.restore === undefined ? null : JSON.stringify(token.restore);
    storeWrite(() =>
      statement.run(token.token, token.topicArn, token.subscriptionArn, restore, token.expiresAt),
    );
  }

  get(token: string): SubscriptionToken | undefined {
    const row = this.db.prepare('SELECT * FROM subscription_tokens WHERE token = ?').get(token) as
      TokenRow | undefined;
    if (!row) return undefined;
    return {
      token: row.token,
      topicArn: row.topic_arn,
      subscriptionArn: row.subscription_arn,
      ...(row.restore === null ? {} : { restore: JSON.parse(row.restore) }),
      expiresAt: row.expires_at,
    };
  }

  deleteExpired(now: number): void {
    const statement = this.db.prepare('DELETE FROM subscription_tokens WHERE expires_at < ?');
    storeWrite(() => statement.run(now));
  }

  /** Every write is durable when it returns. */
  settled(): Promise<void> {
    return Promise.resolve();
  }
}
