import {
  AddPermissionCommand,
  GetDataProtectionPolicyCommand,
  GetSMSAttributesCommand,
  GetTopicAttributesCommand,
  ListPhoneNumbersOptedOutCommand,
  ListTagsForResourceCommand,
  PublishCommand,
  PutDataProtectionPolicyCommand,
  RemovePermissionCommand,
  SetTopicAttributesCommand,
  SNSClient,
  TagResourceCommand,
  UntagResourceCommand,
  CreatePlatformApplicationCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/start.js';
import { createTopic, sdkFailure, startSnsServer } from '../support/sns-sdk.js';

let server: RunningServer;
let sns: SNSClient;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ server, sns, close } = await startSnsServer('herald-sns-resources-'));
});

afterAll(() => close?.());

describe('tags over the AWS SDK', () => {
  it('tags, lists and untags a topic', async () => {
    const arn = await createTopic(sns, 'res-tags');
    await sns.send(
      new TagResourceCommand({
        ResourceArn: arn,
        Tags: [
          { Key: 'team', Value: 'core' },
          { Key: 'empty', Value: '' },
        ],
      }),
    );
    await sns.send(
      new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'x' }] }),
    );
    const { Tags } = await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
    expect(Tags).toEqual([
      { Key: 'team', Value: 'x' },
      { Key: 'empty', Value: '' },
    ]);

    await sns.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team', 'unknown'] }));
    const after = await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
    expect(after.Tags).toEqual([{ Key: 'empty', Value: '' }]);
  });

  it('keeps tags across a restart', async () => {
    const arn = await createTopic(sns, 'res-tags-durable');
    await sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'k', Value: 'v' }] }));
    expect(await server.herald.listTagsForResource(arn)).toEqual({ k: 'v' });
  });

  it('answers AWS codes for limits, reserved keys and missing topics', async () => {
    const arn = await createTopic(sns, 'res-tags-limits');
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(
      await sdkFailure(sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: many }))),
    ).toMatchObject({
      name: 'TagLimitExceededException',
      status: 400,
    });

    const reserved = [{ Key: 'aws:owner', Value: 'v' }];
    expect(
      await sdkFailure(sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: reserved }))),
    ).toMatchObject({ name: 'InvalidParameterException', status: 400 });

    const longKey = [{ Key: 'k'.repeat(129), Value: 'v' }];
    expect(
      await sdkFailure(sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: longKey }))),
    ).toMatchObject({ name: 'InvalidParameterException' });

    const missing = arn.replace('res-tags-limits', 'res-nope');
    expect(
      await sdkFailure(sns.send(new ListTagsForResourceCommand({ ResourceArn: missing }))),
    ).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });
});

describe('permissions over the AWS SDK', () => {
  it('adds and removes labelled statements in the topic policy', async () => {
    const arn = await createTopic(sns, 'res-permissions');
    await sns.send(
      new AddPermissionCommand({
        TopicArn: arn,
        Label: 'partners',
        AWSAccountId: ['111111111111', '222222222222'],
        ActionName: ['Publish'],
      }),
    );

    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    const policy = JSON.parse(Attributes?.Policy ?? '{}') as { Statement: Array<{ Sid: string }> };
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['__default_statement_ID', 'partners']);
    expect(policy.Statement[1]).toEqual({
      Sid: 'partners',
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root'] },
      Action: 'SNS:Publish',
      Resource: arn,
    });

    const duplicate = new AddPermissionCommand({
      TopicArn: arn,
      Label: 'partners',
      AWSAccountId: ['111111111111'],
      ActionName: ['Subscribe'],
    });
    expect(await sdkFailure(sns.send(duplicate))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Statement already exists',
    });
    const outOfScope = new AddPermissionCommand({
      TopicArn: arn,
      Label: 'other',
      AWSAccountId: ['111111111111'],
      ActionName: ['CreateTopic'],
    });
    expect(await sdkFailure(sns.send(outOfScope))).toMatchObject({
      name: 'InvalidParameterException',
    });

    await sns.send(new RemovePermissionCommand({ TopicArn: arn, Label: 'partners' }));
    await sns.send(new RemovePermissionCommand({ TopicArn: arn, Label: 'never-added' }));
    const after = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    expect(after.Attributes?.Policy).not.toContain('partners');

    const missing = new RemovePermissionCommand({ TopicArn: `${arn}-nope`, Label: 'x' });
    expect(await sdkFailure(sns.send(missing))).toMatchObject({
      name: 'NotFoundException',
      status: 404,
    });
  });
});

describe('data protection policies over the AWS SDK', () => {
  it('stores and returns the policy', async () => {
    const arn = await createTopic(sns, 'res-data-protection');
    const empty = await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: arn }));
    expect(empty.DataProtectionPolicy).toBeUndefined();

    const document = JSON.stringify({ Name: 'p', Version: '2021-06-01', Statement: [] });
    await sns.send(
      new PutDataProtectionPolicyCommand({ ResourceArn: arn, DataProtectionPolicy: document }),
    );
    const stored = await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: arn }));
    expect(stored.DataProtectionPolicy).toBe(document);

    const bad = new PutDataProtectionPolicyCommand({ ResourceArn: arn, DataProtectionPolicy: '{' });
    expect(await sdkFailure(sns.send(bad))).toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('unsupported SNS features over the AWS SDK', () => {
  it('answers SMS and mobile-push actions with InvalidAction', async () => {
    for (const command of [
      new GetSMSAttributesCommand({}),
      new ListPhoneNumbersOptedOutCommand({}),
      new CreatePlatformApplicationCommand({ Name: 'a', Platform: 'GCM', Attributes: {} }),
    ]) {
      const error = await sdkFailure(sns.send(command as never));
      expect(error.status).toBe(400);
      expect(error.name).toBe('InvalidAction');
      expect(error.message).toMatch(/^Herald does not support SMS \/ mobile push: \w+$/);
    }
  });

  it('refuses phone numbers and platform endpoints in Publish', async () => {
    const phone = await sdkFailure(
      sns.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'x' })),
    );
    expect(phone).toMatchObject({ name: 'InvalidParameterException', status: 400 });

    const endpoint = 'arn:aws:sns:us-east-1:000000000000:endpoint/GCM/app/7a1f';
    const target = await sdkFailure(
      sns.send(new PublishCommand({ TargetArn: endpoint, Message: 'x' })),
    );
    expect(target).toMatchObject({
      name: 'InvalidParameterException',
      message:
        'Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified',
    });
  });

  it('reports every topic attribute AWS reports', async () => {
    const arn = await createTopic(sns, 'res-attributes');
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    expect(Object.keys(Attributes ?? {})).toEqual(
      expect.arrayContaining([
        'Policy',
        'Owner',
        'SubscriptionsPending',
        'TopicArn',
        'EffectiveDeliveryPolicy',
        'SubscriptionsConfirmed',
        'DisplayName',
        'SubscriptionsDeleted',
      ]),
    );
  });
});

describe('topic attributes beyond AWS limits', () => {
  it('refuses a DisplayName of more than 100 characters, keeping the old one', async () => {
    const arn = await createTopic(sns, 'res-display-name');
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: arn,
        AttributeName: 'DisplayName',
        AttributeValue: 'é'.repeat(100),
      }),
    );
    const tooLong = new SetTopicAttributesCommand({
      TopicArn: arn,
      AttributeName: 'DisplayName',
      AttributeValue: 'x'.repeat(101),
    });

    expect(await sdkFailure(sns.send(tooLong))).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
    });
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    expect(Attributes?.DisplayName).toBe('é'.repeat(100));
  });
});
