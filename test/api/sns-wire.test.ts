import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/config/defaults.js';
import type { Herald } from '../../src/core/herald.js';
import { openHeraldApp, type HeraldApp } from '../support/herald-app.js';

const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false });

let opened: HeraldApp;
let herald: Herald;
let app: FastifyInstance;

beforeEach(async () => {
  opened = await openHeraldApp({ maxMessageBytes: 1024, allowPrivateEndpoints: true });
  ({ herald, app } = opened);
});

afterEach(async () => {
  await opened.close();
});

/** A form body from parameters, encoded as the SDKs do. */
function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

/** The parameters of one flattened PublishBatch entry. */
function batchEntry(index: number, id: string, message: string): Record<string, string> {
  const prefix = `PublishBatchRequestEntries.member.${index}`;
  return { [`${prefix}.Id`]: id, [`${prefix}.Message`]: message };
}

async function post(body: string | Record<string, string>, headers = FORM) {
  const payload = typeof body === 'string' ? body : form(body);
  const response = await app.inject({ method: 'POST', url: '/', headers, payload });
  return {
    status: response.statusCode,
    headers: response.headers,
    xml: parser.parse(response.body),
    body: response.body,
  };
}

async function topic(name = 'orders'): Promise<string> {
  return (await herald.createTopic(name)).arn;
}

/** A built-in queue subscribed to the topic; resolves with the queue's name. */
async function queueOn(topicArn: string, attributes: Record<string, string> = {}) {
  const queue = await herald.createQueue('inbox');
  await herald.subscribe(topicArn, 'sqs', queue.arn, attributes);
  return queue.name;
}

/** What a queue holds once every delivery has settled, bodies only. */
async function bodiesIn(queueName: string): Promise<string[]> {
  await herald.idle();
  return (await herald.receiveMessages(queueName, 10)).map((message) => message.body);
}

/** Runs `test` with the URL of a local HTTP endpoint that answers 200 and confirms nothing. */
async function withSilentEndpoint(test: (url: string) => Promise<void>): Promise<void> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await test(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('SNS responses', () => {
  it('wraps results in XxxResponse/XxxResult with the namespace and a RequestId', async () => {
    const { status, headers, xml } = await post(
      'Action=CreateTopic&Name=orders&Version=2010-03-31',
    );

    expect(status).toBe(200);
    expect(headers['content-type']).toMatch(/^text\/xml/);
    const response = xml.CreateTopicResponse;
    expect(response['@_xmlns']).toBe(NS);
    expect(response.CreateTopicResult.TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:orders');
    expect(response.ResponseMetadata.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers['x-amzn-requestid']).toBe(response.ResponseMetadata.RequestId);
  });

  it('decodes CreateTopic attributes and tags', async () => {
    await post(
      'Action=CreateTopic&Name=t&Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=Hi' +
        '&Tags.member.1.Key=team&Tags.member.1.Value=core',
    );
    const arn = 'arn:aws:sns:us-east-1:000000000000:t';
    expect(await herald.getTopicAttributes(arn)).toMatchObject({ DisplayName: 'Hi' });
    expect(await herald.listTagsForResource(arn)).toEqual({ team: 'core' });
  });

  it('answers actions without output with only ResponseMetadata', async () => {
    const arn = await topic();
    const { body } = await post(`Action=DeleteTopic&TopicArn=${arn}`);
    const metadata = '<ResponseMetadata><RequestId>[^<]+</RequestId></ResponseMetadata>';
    expect(body).toMatch(
      new RegExp(`^<DeleteTopicResponse xmlns="${NS}">${metadata}</DeleteTopicResponse>$`),
    );
  });

  it('lists topics as members with NextToken', async () => {
    const { pageSize } = DEFAULTS;
    for (let i = 0; i <= pageSize; i++) await topic(`t${String(i).padStart(3, '0')}`);
    const first = (await post('Action=ListTopics')).xml.ListTopicsResponse.ListTopicsResult;
    expect(first.Topics.member.map((m: { TopicArn: string }) => m.TopicArn)).toHaveLength(pageSize);
    expect(first.NextToken).toMatch(/^\S+$/);

    const next = encodeURIComponent(first.NextToken);
    const second = (await post(`Action=ListTopics&NextToken=${next}`)).xml.ListTopicsResponse;
    expect(second.ListTopicsResult.Topics.member.TopicArn).toMatch(/:t100$/);
    expect(second.ListTopicsResult.NextToken).toBeUndefined();
  });

  it('escapes attribute values and keeps empty ones', async () => {
    const arn = await topic();
    await herald.setTopicAttribute(arn, 'Policy', '{"a":"<&>"}');
    await herald.setTopicAttribute(arn, 'DisplayName', '');
    const { body, xml } = await post(`Action=GetTopicAttributes&TopicArn=${arn}`);

    expect(body).toContain('<value>{"a":"&lt;&amp;&gt;"}</value>');
    expect(body).toContain('<key>DisplayName</key><value></value>');
    const entries = xml.GetTopicAttributesResponse.GetTopicAttributesResult.Attributes.entry;
    expect(entries).toContainEqual({ key: 'Policy', value: '{"a":"<&>"}' });
  });

  it('answers "pending confirmation" for unconfirmed subscriptions unless asked', async () => {
    const arn = await topic();
    await withSilentEndpoint(async (url) => {
      const subscribe = (path: string, extra: Record<string, string> = {}) =>
        post({
          Action: 'Subscribe',
          TopicArn: arn,
          Protocol: 'http',
          Endpoint: url + path,
          ...extra,
        });
      const pending = (await subscribe('/a')).xml.SubscribeResponse.SubscribeResult;
      expect(pending.SubscriptionArn).toBe('pending confirmation');

      const withArn = await subscribe('/b', { ReturnSubscriptionArn: 'true' });
      const { SubscriptionArn } = withArn.xml.SubscribeResponse.SubscribeResult;
      expect(SubscriptionArn).toMatch(new RegExp(`^${arn}:`));

      const listed = (await post(`Action=ListSubscriptionsByTopic&TopicArn=${arn}`)).xml;
      const member =
        listed.ListSubscriptionsByTopicResponse.ListSubscriptionsByTopicResult.Subscriptions
          .member[0];
      expect(Object.keys(member)).toEqual([
        'SubscriptionArn',
        'Owner',
        'Protocol',
        'Endpoint',
        'TopicArn',
      ]);
      expect(member).toMatchObject({
        SubscriptionArn: 'PendingConfirmation',
        Owner: '000000000000',
      });
    });
  });

  it('passes subscription attributes through', async () => {
    const arn = await topic();
    await herald.createQueue('q');
    const { xml } = await post({
      Action: 'Subscribe',
      TopicArn: arn,
      Protocol: 'sqs',
      Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q',
      'Attributes.entry.1.key': 'RawMessageDelivery',
      'Attributes.entry.1.value': 'true',
    });
    const subscriptionArn = xml.SubscribeResponse.SubscribeResult.SubscriptionArn;
    expect(await herald.getSubscriptionAttributes(subscriptionArn)).toMatchObject({
      RawMessageDelivery: 'true',
    });
  });

  it('publishes with TopicArn or TargetArn and decodes attributes', async () => {
    const arn = await topic();
    const inbox = await queueOn(arn);
    const { xml } = await post({
      Action: 'Publish',
      TargetArn: arn,
      Message: 'hi',
      Subject: 'S',
      MessageGroupId: 'g',
      'MessageAttributes.entry.1.Name': 'bin',
      'MessageAttributes.entry.1.Value.DataType': 'Binary',
      'MessageAttributes.entry.1.Value.BinaryValue': 'AQID',
    });
    expect(xml.PublishResponse['@_xmlns']).toBe(NS);
    const messageId = xml.PublishResponse.PublishResult.MessageId;
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);

    const [envelope] = (await bodiesIn(inbox)).map((body) => JSON.parse(body) as unknown);
    expect(envelope).toMatchObject({
      MessageId: messageId,
      TopicArn: arn,
      Message: 'hi',
      Subject: 'S',
      MessageAttributes: { bin: { Type: 'Binary', Value: 'AQID' } },
    });
  });

  it('accepts GET with a query string, as AWS does', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/?Action=ListTopics&Version=2010-03-31',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<ListTopicsResponse');
  });

  it('shapes PublishBatch results as Successful and Failed members', async () => {
    const arn = await topic();
    const inbox = await queueOn(arn, { RawMessageDelivery: 'true' });
    const { xml } = await post({
      Action: 'PublishBatch',
      TopicArn: arn,
      ...batchEntry(1, 'ok', 'm1'),
      ...batchEntry(2, 'empty', ''),
    });
    const result = xml.PublishBatchResponse.PublishBatchResult;
    expect(result.Successful.member.Id).toBe('ok');
    expect(result.Failed.member).toEqual({
      Id: 'empty',
      Code: 'InvalidParameter',
      Message: 'Invalid parameter: Empty message',
      SenderFault: 'true',
    });
    expect(await bodiesIn(inbox)).toEqual(['m1']);
  });
});

describe('SNS errors', () => {
  async function error(body: string | Record<string, string>, headers = FORM) {
    const { status, xml } = await post(body, headers);
    const response = xml.ErrorResponse;
    expect(response['@_xmlns']).toBe(NS);
    expect(response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    return { status, ...response.Error };
  }

  it('names an unknown action', async () => {
    expect(await error('Action=Frobnicate')).toEqual({
      status: 400,
      Type: 'Sender',
      Code: 'InvalidAction',
      Message: 'The action Frobnicate is not valid for this web service.',
    });
    expect((await error('Action=toString')).Code).toBe('InvalidAction');
    expect((await error('Version=2010-03-31')).Code).toBe('MissingParameter');
  });

  it('names a missing required parameter', async () => {
    const answer = await error('Action=Subscribe&Protocol=sqs&Endpoint=x');
    expect(answer).toMatchObject({ status: 400, Code: 'ValidationError' });
    expect(answer.Message).toContain("'topicArn'");
  });

  it('maps Herald errors to their registry status', async () => {
    const answer = await error(
      'Action=GetTopicAttributes&TopicArn=arn:aws:sns:us-east-1:000000000000:none',
    );
    expect(answer).toEqual({
      status: 404,
      Type: 'Sender',
      Code: 'NotFound',
      Message: 'Topic does not exist',
    });
  });

  it('answers ParameterValueInvalid for invalid attributes', async () => {
    const arn = await topic();
    const answer = await error({
      Action: 'Publish',
      TopicArn: arn,
      Message: 'x',
      'MessageAttributes.entry.1.Name': 'n',
      'MessageAttributes.entry.1.Value.DataType': 'Number',
      'MessageAttributes.entry.1.Value.StringValue': 'x',
    });
    expect(answer).toMatchObject({ status: 400, Code: 'ParameterValueInvalid' });
  });

  it('refuses publishing without a target or to phone numbers', async () => {
    expect((await error('Action=Publish&Message=x')).Message).toBe(
      'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
    );
    expect((await error('Action=Publish&PhoneNumber=%2B15555550100&Message=x')).Code).toBe(
      'InvalidParameter',
    );
  });

  it('checks PublishBatch entry counts and ids', async () => {
    const arn = await topic();
    const batch = (...entries: Array<Record<string, string>>) =>
      error(Object.assign({ Action: 'PublishBatch', TopicArn: arn }, ...entries));

    expect((await batch()).Code).toBe('EmptyBatchRequest');
    const eleven = Array.from({ length: 11 }, (_, i) => batchEntry(i + 1, `e${i}`, 'm'));
    expect((await batch(...eleven)).Code).toBe('TooManyEntriesInBatchRequest');
    const twins = [batchEntry(1, 'a', 'm'), batchEntry(2, 'a', 'm')];
    expect((await batch(...twins)).Code).toBe('BatchEntryIdsNotDistinct');
    expect((await batch(batchEntry(1, 'bad id', 'm'))).Code).toBe('InvalidBatchEntryId');
  });

  it('answers malformed bodies with a clear error, never a crash', async () => {
    expect((await error('Action=Publish&Message=%FF')).Code).toBe('MalformedQueryString');

    const response = await app.inject({
      method: 'POST',
      url: '/',
      headers: FORM,
      payload: Buffer.from([0x41, 0x3d, 0xff, 0xfe]),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('not valid UTF-8');

    const json = await error('{"Action":"ListTopics"}', { 'content-type': 'application/json' });
    expect(json.Code).toBe('MalformedQueryString');
  });

  it('answers an oversized body as too long', async () => {
    const answer = await error(`Action=Publish&Message=${'x'.repeat(80 * 1024)}`);
    expect(answer).toMatchObject({ status: 400, Code: 'InvalidParameter' });
  });

  it('answers InternalError for unexpected failures, logging the cause', async () => {
    await topic();
    await herald.close(0); // the store is gone: listing topics fails with a plain TypeError
    expect(await error('Action=ListTopics')).toMatchObject({
      status: 500,
      Type: 'Receiver',
      Code: 'InternalError',
    });
  });
});
