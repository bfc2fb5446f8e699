import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHerald, type Herald } from '../../src/core/herald.js';
import { tempDir } from '../support/temp-dir.js';
import { Receiver, typeOf } from './support/receiver.js';

let dir: ReturnType<typeof tempDir>;
let herald: Herald;
let receiver: Receiver;

beforeAll(async () => {
  dir = tempDir('herald-pending-');
  herald = await createHerald({
    dataDir: dir.path,
    allowPrivateEndpoints: true,
    confirmationTokenTtlMs: 200,
    pendingSubscriptionTtlMs: 200,
  });
  receiver = await Receiver.start();
});

afterAll(async () => {
  await herald?.close();
  await receiver?.close();
  dir?.remove();
});

it('deletes subscriptions left unconfirmed and refuses their expired tokens', async () => {
  const topic = await herald.createTopic('pending-expiry');
  const subscription = await herald.subscribe(topic.arn, 'http', receiver.url('/late'));
  const request = await receiver.waitFor((r) => typeOf(r) === 'SubscriptionConfirmation');
  const { Token } = JSON.parse(request.body) as { Token: string };

  await new Promise((resolve) => setTimeout(resolve, 500));

  await expect(herald.getSubscriptionAttributes(subscription.arn)).rejects.toMatchObject({
    code: 'NotFound',
  });
  await expect(herald.confirmSubscription(topic.arn, Token)).rejects.toMatchObject({
    code: 'InvalidParameter',
  });
});
