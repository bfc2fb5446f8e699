import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNSUPPORTED_ACTIONS } from '../../src/api/sns/unsupported.js';
import { startServer } from '../../src/server/start.js';
import { seededRandom } from '../../demo/random.js';

type Server = Awaited<ReturnType<typeof startServer>>;

const REQUESTS = 10_000;
const AUTH_REQUESTS = 1_000;
const CONCURRENCY = 32;
/** Node's HTTP parser answers longer request lines itself (431), before Herald sees them. */
const MAX_QUERY_LENGTH = 8_000;
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:fuzz';

const ACTIONS = [
  'CreateTopic',
  'DeleteTopic',
  'GetTopicAttributes',
  'SetTopicAttributes',
  'ListTopics',
  'Subscribe',
  'Unsubscribe',
  'ListSubscriptions',
  'ListSubscriptionsByTopic',
  'GetSubscriptionAttributes',
  'SetSubscriptionAttributes',
  'Publish',
  'PublishBatch',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
  'AddPermission',
  'RemovePermission',
  'GetDataProtectionPolicy',
  'PutDataProtectionPolicy',
  'ConfirmSubscription',
  ...UNSUPPORTED_ACTIONS,
];

const PARAMETERS = [
  'Name',
  'TopicArn',
  'TargetArn',
  'PhoneNumber',
  'Message',
  'Subject',
  'MessageStructure',
  'MessageGroupId',
  'Protocol',
  'Endpoint',
  'SubscriptionArn',
  'AttributeName',
  'AttributeValue',
  'ResourceArn',
  'Label',
  'NextToken',
  'DataProtectionPolicy',
  'ReturnSubscriptionArn',
  'Attributes.entry.1.key',
  'Attributes.entry.1.value',
  'Attributes.entry.x.key',
  'Tags.member.1.Key',
  'Tags.member.1.Value',
  'TagKeys.member.1',
  'AWSAccountId.member.1',
  'ActionName.member.1',
  'MessageAttributes.entry.1.Name',
  'MessageAttributes.entry.1.Value.DataType',
  'MessageAttributes.entry.1.Value.StringValue',
  'MessageAttributes.entry.1.Value.BinaryValue',
  'PublishBatchRequestEntries.member.1.Id',
  'PublishBatchRequestEntries.member.1.Message',
  'PublishBatchRequestEntries.member.11.Id',
  'PublishBatchRequestEntries.member.999999999.Id',
];

/** One generated request. */
interface FuzzRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  contentType?: string;
  body?: Buffer;
  headers?: Record<string, string>;
}

function generator(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number) => random() < p;

  const value = (): Buffer => {
    const roll = random();
    if (roll < 0.25) return Buffer.from(pick([TOPIC, `${TOPIC}:sub`, 'fuzz', 'true', '{}', '']));
    if (roll < 0.4) return Buffer.from(encodeURIComponent(JSON.stringify({ k: [random()] })));
    if (roll < 0.5) return Buffer.from(pick(['%', '%zz', '%C3%28', '%ED%A0%80', '%00', '+%2B']));
    if (roll < 0.6) return Buffer.from([0xff, 0xfe, 0xc3, 0x28, Math.floor(random() * 256)]);
    if (roll < 0.62) return Buffer.alloc(Math.floor(random() * 3_000_000), 'a');
    if (roll < 0.7) return Buffer.alloc(Math.floor(random() * 70_000), 'b');
    const length = Math.floor(random() * 40);
    return Buffer.from(
      Array.from({ length }, () => String.fromCharCode(32 + Math.floor(random() * 95))).join(''),
    );
  };

  const form = (): Buffer => {
    const parts: Buffer[] = [];
    if (!chance(0.05)) parts.push(Buffer.from(`Action=${chance(0.9) ? pick(ACTIONS) : 'Bogus'}`));
    const count = Math.floor(random() * 8);
    for (let i = 0; i < count; i++) {
      parts.push(Buffer.concat([Buffer.from(`${pick(PARAMETERS)}=`), value()]));
    }
    if (chance(0.05)) parts.push(Buffer.from('&&=&==&'));
    return Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [part] : [Buffer.from('&'), part])));
  };

  return (): FuzzRequest => {
    const roll = random();
    if (roll < 0.7) {
      return {
        method: 'POST',
        path: '/',
        contentType: chance(0.95) ? 'application/x-www-form-urlencoded' : undefined,
        body: form(),
      };
    }
    if (roll < 0.8) {
      return { method: 'GET', path: `/?${form().toString('latin1').slice(0, MAX_QUERY_LENGTH)}` };
    }
    if (roll < 0.9) {
      const bytes = Buffer.alloc(Math.floor(random() * 2000));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
      return {
        method: 'POST',
        path: '/',
        contentType: pick(['application/x-www-form-urlencoded', 'application/json', 'text/xml']),
        body: bytes,
      };
    }
    return {
      method: pick(['GET', 'POST', 'PUT'] as const),
      path: pick(['/nope', '/herald/v1/queues', '/herald/v1/nothing', '//', '/?', '/%zz']),
      contentType: 'application/x-www-form-urlencoded',
      body: chance(0.5) ? form() : undefined,
    };
  };
}

const parser = new XMLParser();

/** Checks one answer: a success document, or a well-formed error with a code. */
function checkAnswer(status: number, contentType: string, text: string): string | undefined {
  if (status >= 500) return `status ${status}: ${text.slice(0, 200)}`;
  if (contentType.includes('application/json')) {
    const parsed = JSON.parse(text) as { error?: { code?: string } };
    if (status >= 400 && !parsed.error?.code) return `JSON error without a code: ${text}`;
    return undefined;
  }
  if (XMLValidator.validate(text) !== true) return `malformed XML: ${text.slice(0, 200)}`;
  const document = parser.parse(text) as Record<string, { Error?: { Code?: string } }>;
  const root = Object.keys(document).find((name) => name !== '?xml') ?? '';
  if (status >= 400) {
    if (root !== 'ErrorResponse' || !document[root]?.Error?.Code) return `bad error: ${text}`;
  } else if (!root.endsWith('Response')) {
    return `bad success document: ${text.slice(0, 200)}`;
  }
  return undefined;
}

async function fuzz(server: Server, seed: number, count: number, withAuthHeaders: boolean) {
  const random = seededRandom(seed).next;
  const next = generator(random);
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: CONCURRENCY });
  const problems: string[] = [];
  const statuses = new Map<number, number>();
  let sent = 0;

  const worker = async () => {
    while (sent < count) {
      sent++;
      const fuzzRequest = next();
      const headers: Record<string, string> = { ...fuzzRequest.headers };
      if (fuzzRequest.contentType) headers['content-type'] = fuzzRequest.contentType;
      if (withAuthHeaders && random() < 0.8) {
        headers.authorization = `AWS4-HMAC-SHA256 Credential=${random() < 0.5 ? 'AKIDFUZZ' : 'x'}/20240101/us-east-1/sns/aws4_request, SignedHeaders=host;x-amz-date, Signature=${random().toString(16).slice(2)}`;
        headers['x-amz-date'] = random() < 0.5 ? '20240101T000000Z' : 'garbage';
      }
      try {
        const response = await request(`${server.url}${fuzzRequest.path}`, {
          method: fuzzRequest.method,
          headers,
          body: fuzzRequest.body,
          dispatcher,
        });
        const text = await response.body.text();
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        const problem = checkAnswer(
          response.statusCode,
          String(response.headers['content-type'] ?? ''),
          text,
        );
        if (problem)
          problems.push(`${fuzzRequest.method} ${fuzzRequest.path.slice(0, 80)}: ${problem}`);
      } catch (error) {
        problems.push(`${fuzzRequest.method} ${fuzzRequest.path.slice(0, 80)}: ${String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await dispatcher.close();
  return { problems, statuses };
}

async function publishStillWorks(server: Server): Promise<number> {
  await request(`${server.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=CreateTopic&Name=fuzz',
  }).then((response) => response.body.text());
  const response = await request(`${server.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `Action=Publish&TopicArn=${encodeURIComponent(TOPIC)}&Message=after-the-storm`,
  });
  expect(await response.body.text()).toContain('<MessageId>');
  return response.statusCode;
}

let dataDir: string;
let server: Server;
let authServer: Server;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'herald-fuzz-'));
  server = await startServer({ dataDir: join(dataDir, 'open'), host: '127.0.0.1', port: 0 });
  authServer = await startServer({
    dataDir: join(dataDir, 'auth'),
    host: '127.0.0.1',
    port: 0,
    auth: { accessKeys: [{ id: 'AKIDFUZZ', secret: 'fuzz-secret' }] },
  });
  await server.herald.createTopic('fuzz');
});

afterAll(async () => {
  await server?.close();
  await authServer?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('fuzzing the SNS API', () => {
  it(
    `answers ${REQUESTS} generated requests with well-formed documents`,
    { timeout: 240_000 },
    async () => {
      const { problems, statuses } = await fuzz(server, 20_240_601, REQUESTS, false);
      expect(problems.slice(0, 10)).toEqual([]);
      expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(REQUESTS);
      expect(statuses.get(200)).toBeGreaterThan(0);
      expect(await publishStillWorks(server)).toBe(200);
    },
  );

  it(
    `refuses ${AUTH_REQUESTS} forged requests cleanly when auth is on`,
    { timeout: 120_000 },
    async () => {
      const { problems, statuses } = await fuzz(authServer, 7, AUTH_REQUESTS, true);
      expect(problems.slice(0, 10)).toEqual([]);
      expect(statuses.get(200) ?? 0).toBe(0);
    },
  );
});
