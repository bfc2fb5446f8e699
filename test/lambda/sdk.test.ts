import {
  AddPermissionCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionEventInvokeConfigCommand,
  GetPolicyCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  RemovePermissionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { tempDir } from '../support/temp-dir.js';
import { ECHO_HANDLER, zipHandler } from './support.js';

const ROLE = 'arn:aws:iam::000000000000:role/x';
const dir = tempDir('herald-lambda-sdk-');
let server: RunningServer;
let lambda: LambdaClient;

beforeAll(async () => {
  server = await startServer({ dataDir: join(dir.path, 'data'), host: '127.0.0.1', port: 0 });
  lambda = new LambdaClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
});

afterAll(async () => {
  lambda?.destroy();
  await server?.close();
  dir.remove();
});

const decode = (payload: Uint8Array | undefined): unknown =>
  JSON.parse(Buffer.from(payload ?? []).toString('utf8'));

describe('LambdaClient against Herald', () => {
  it('deploys, updates, invokes and deletes a function', async () => {
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'sdk-fn',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: ROLE,
        Timeout: 5,
        MemorySize: 256,
        Code: { ZipFile: zipHandler(dir.path, 'echo', ECHO_HANDLER) },
        Environment: { Variables: { GREETING: 'hi' } },
      }),
    );
    expect(created).toMatchObject({ FunctionName: 'sdk-fn', Timeout: 5, MemorySize: 256 });
    expect(created.Environment?.Variables).toEqual({ GREETING: 'hi' });

    await expect(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'sdk-fn',
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role: ROLE,
          Code: { ZipFile: zipHandler(dir.path, 'echo', ECHO_HANDLER) },
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceConflictException);

    const invoked = await lambda.send(
      new InvokeCommand({ FunctionName: 'sdk-fn', Payload: Buffer.from('{"a":1}') }),
    );
    expect(invoked.StatusCode).toBe(200);
    expect(invoked.ExecutedVersion).toBe('$LATEST');
    expect(decode(invoked.Payload)).toEqual({ echo: { a: 1 } });

    const thrower = 'export const handler = async () => { throw new TypeError("nope"); };';
    const updated = await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'sdk-fn',
        ZipFile: zipHandler(dir.path, 'thrower', thrower),
      }),
    );
    expect(updated.CodeSha256).not.toBe(created.CodeSha256);
    const failed = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-fn' }));
    expect(failed.FunctionError).toBe('Unhandled');
    expect(decode(failed.Payload)).toMatchObject({ errorType: 'TypeError', errorMessage: 'nope' });

    const configured = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'sdk-fn', Timeout: 9 }),
    );
    expect(configured.Timeout).toBe(9);

    const accepted = await lambda.send(
      new InvokeCommand({
        FunctionName: 'sdk-fn',
        InvocationType: 'Event',
        Payload: Buffer.from('{}'),
      }),
    );
    expect(accepted.StatusCode).toBe(202);
    const dryRun = await lambda.send(
      new InvokeCommand({ FunctionName: 'sdk-fn', InvocationType: 'DryRun' }),
    );
    expect(dryRun.StatusCode).toBe(204);

    const { Functions } = await lambda.send(new ListFunctionsCommand({}));
    expect(Functions?.map((each) => each.FunctionName)).toEqual(['sdk-fn']);

    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'sdk-fn' }));
    await expect(
      lambda.send(new GetFunctionCommand({ FunctionName: 'sdk-fn' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('manages concurrency, asynchronous-invocation settings and permissions', async () => {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'sdk-settings',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { ZipFile: zipHandler(dir.path, 'echo', ECHO_HANDLER) },
      }),
    );
    const name = { FunctionName: 'sdk-settings' };

    await lambda.send(
      new PutFunctionConcurrencyCommand({ ...name, ReservedConcurrentExecutions: 7 }),
    );
    const reserved = await lambda.send(new GetFunctionConcurrencyCommand(name));
    expect(reserved.ReservedConcurrentExecutions).toBe(7);
    await lambda.send(new DeleteFunctionConcurrencyCommand(name));
    const none = await lambda.send(new GetFunctionConcurrencyCommand(name));
    expect(none.ReservedConcurrentExecutions).toBeUndefined();

    const queueArn = 'arn:aws:sqs:us-east-1:000000000000:failures';
    const put = await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        ...name,
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 120,
        DestinationConfig: { OnFailure: { Destination: queueArn } },
      }),
    );
    expect(put).toMatchObject({ MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 120 });
    expect(put.LastModified).toBeInstanceOf(Date);
    const merged = await lambda.send(
      new UpdateFunctionEventInvokeConfigCommand({ ...name, MaximumRetryAttempts: 0 }),
    );
    expect(merged).toMatchObject({
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 120,
      DestinationConfig: { OnFailure: { Destination: queueArn } },
    });
    const fetched = await lambda.send(new GetFunctionEventInvokeConfigCommand(name));
    expect(fetched.FunctionArn).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:sdk-settings:$LATEST',
    );
    await lambda.send(new DeleteFunctionEventInvokeConfigCommand(name));
    await expect(lambda.send(new GetFunctionEventInvokeConfigCommand(name))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );

    const added = await lambda.send(
      new AddPermissionCommand({
        ...name,
        StatementId: 'sns',
        Action: 'lambda:InvokeFunction',
        Principal: 'sns.amazonaws.com',
      }),
    );
    expect(JSON.parse(added.Statement ?? '{}')).toMatchObject({ Sid: 'sns', Effect: 'Allow' });
    const policy = await lambda.send(new GetPolicyCommand(name));
    expect(JSON.parse(policy.Policy ?? '{}').Statement).toHaveLength(1);
    await lambda.send(new RemovePermissionCommand({ ...name, StatementId: 'sns' }));
  });
});
