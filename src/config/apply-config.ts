import { functionArn, queueArn } from '../domain/arn.js';
import type { Subscription } from '../domain/subscription.js';
import type { Herald } from '../core/herald.js';
import { bundleSha256, zipDirectory } from '../functions/bundle.js';
import type { Logger } from '../log/logger.js';
import type { HeraldConfig } from './config-file.js';

type TopicConfig = HeraldConfig['topics'][number];
type SubscriptionConfig = TopicConfig['subscriptions'][number];

/** A config entry Herald could not apply; names the entry so the operator can fix it. */
export class ConfigApplyError extends Error {
  override readonly name = 'ConfigApplyError';

  constructor(entry: string, cause: unknown) {
    super(`config entry ${entry}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}

/**
 * Brings a running Herald in line with the resources a config file declares: queues,
 * functions (redeployed only when their code or settings changed), topics and their
 * subscriptions (the attributes it declares updated in place when they changed; attributes
 * it does not mention are left as they are). Everything is idempotent,
 * so it runs at every start. The first entry that fails stops it with a
 * {@link ConfigApplyError} naming that entry.
 */
export async function applyConfig(herald: Herald, config: HeraldConfig, logger: Logger) {
  for (const [i, queue] of config.queues.entries()) {
    await step(`queues[${i}] (${queue})`, () => herald.createQueue(queue));
  }

  for (const [i, fn] of config.functions.entries()) {
    await step(`functions[${i}] (${fn.name})`, () => applyFunction(herald, fn, logger));
  }

  for (const [i, topic] of config.topics.entries()) {
    const entry = `topics[${i}] (${topic.name})`;
    const topicArn = await step(entry, () => applyTopic(herald, topic));
    for (const [j, subscription] of topic.subscriptions.entries()) {
      await step(`${entry}.subscriptions[${j}] (${subscription.endpoint})`, () =>
        applySubscription(herald, topicArn, subscription),
      );
    }
  }
}

async function step<T>(entry: string, apply: () => Promise<T>): Promise<T> {
  try {
    return await apply();
  } catch (error) {
    throw new ConfigApplyError(entry, error);
  }
}

async function applyFunction(
  herald: Herald,
  fn: HeraldConfig['functions'][number],
  logger: Logger,
): Promise<void> {
  const zip = zipDirectory(fn.code);
  const { code: _code, ...settings } = fn;
  const current = await herald.getFunction(fn.name).catch(() => undefined);
  if (current && current.codeSha256 === bundleSha256(zip) && sameSettings(current, settings)) {
    return;
  }
  await herald.deployFunction({ ...settings, zip });
  logger.info({ functionName: fn.name }, 'function deployed from config');
}

async function applyTopic(herald: Herald, topic: TopicConfig): Promise<string> {
  const { arn } = await herald.createTopic(topic.name);
  const current = await herald.getTopicAttributes(arn);
  for (const [name, value] of Object.entries(topic.attributes ?? {})) {
    if (name !== 'FifoTopic' && current[name] !== value) {
      await herald.setTopicAttribute(arn, name, value);
    }
  }
  return arn;
}

async function applySubscription(
  herald: Herald,
  topicArn: string,
  config: SubscriptionConfig,
): Promise<void> {
  const endpoint = endpointOf(herald, config);
  const wanted = config.attributes ?? {};
  const existing = await findSubscription(herald, topicArn, config.protocol, endpoint);
  if (!existing) {
    await herald.subscribe(topicArn, config.protocol, endpoint, wanted);
    return;
  }

  for (const [name, value] of Object.entries(wanted)) {
    if (existing.attributes[name] !== value) {
      await herald.setSubscriptionAttribute(existing.arn, name, value);
    }
  }
}

function endpointOf(herald: Herald, config: SubscriptionConfig): string {
  if (config.endpoint.startsWith('arn:') || config.protocol.startsWith('http')) {
    return config.endpoint;
  }
  return config.protocol === 'lambda'
    ? functionArn(herald.partition, config.endpoint)
    : queueArn(herald.partition, config.endpoint);
}

async function findSubscription(
  herald: Herald,
  topicArn: string,
  protocol: string,
  endpoint: string,
): Promise<Subscription | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await herald.listSubscriptionsByTopic(topicArn, nextToken);
    const found = page.items.find((s) => s.protocol === protocol && s.endpoint === endpoint);
    if (found) return found;
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return undefined;
}

function sameSettings(current: object, wanted: object): boolean {
  const have = current as Record<string, unknown>;
  for (const [key, value] of Object.entries(wanted)) {
    if (JSON.stringify(have[key]) !== JSON.stringify(value)) return false;
  }
  return true;
}
