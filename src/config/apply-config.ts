import { functionArn, queueArn, topicArn } from '../domain/arn.js';
import type { Herald } from '../core/herald.js';
import { bundleSha256, zipDirectory } from '../functions/bundle.js';
import type { Logger } from '../log/logger.js';
import type { HeraldConfig } from './config-file.js';

/**
 * Brings a running Herald in line with the resources a config file declares: queues,
 * functions (redeployed only when their code or settings changed), topics and their
 * subscriptions. Everything is idempotent, so it runs at every start.
 */
export async function applyConfig(herald: Herald, config: HeraldConfig, logger: Logger) {
  for (const queue of config.queues) await herald.createQueue(queue);

  for (const fn of config.functions) {
    const zip = zipDirectory(fn.code);
    const { code: _code, ...settings } = fn;
    const current = await herald.getFunction(fn.name).catch(() => undefined);
    if (current && current.codeSha256 === bundleSha256(zip) && sameSettings(current, settings)) {
      continue;
    }
    await herald.deployFunction({ ...settings, zip });
    logger.info({ functionName: fn.name }, 'function deployed from config');
  }

  for (const topic of config.topics) {
    const created = await herald.createTopic(topic.name, topic.attributes);
    for (const subscription of topic.subscriptions) {
      const endpoint = subscription.endpoint.startsWith('arn:')
        ? subscription.endpoint
        : subscription.protocol === 'lambda'
          ? functionArn(herald.partition, subscription.endpoint)
          : queueArn(herald.partition, subscription.endpoint);
      await herald.subscribe(created.arn, subscription.protocol, endpoint, subscription.attributes);
    }
    logger.debug({ topicArn: topicArn(herald.partition, topic.name) }, 'topic configured');
  }
}

function sameSettings(current: object, wanted: object): boolean {
  const have = current as Record<string, unknown>;
  for (const [key, value] of Object.entries(wanted)) {
    if (JSON.stringify(have[key]) !== JSON.stringify(value)) return false;
  }
  return true;
}
