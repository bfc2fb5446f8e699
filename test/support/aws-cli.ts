import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The environment the AWS CLI runs in: fixed keys and region, no config files, no pager. */
export function awsEnvironment(
  options: { key?: string; secret?: string; maxAttempts?: number } = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: options.key ?? 'x',
    AWS_SECRET_ACCESS_KEY: options.secret ?? 'x',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(options.maxAttempts === undefined ? {} : { AWS_MAX_ATTEMPTS: String(options.maxAttempts) }),
    AWS_PAGER: '',
  };
}

/** The AWS CLI pointed at one endpoint. */
export interface AwsCli {
  /** Runs `aws <args>`; resolves with its parsed JSON output (`{}` when it prints nothing). */
  run(...args: string[]): Promise<Record<string, unknown>>;
  /** Runs an `aws <args>` that must fail; resolves with its stderr. */
  failure(...args: string[]): Promise<string>;
}

/**
 * The AWS CLI against `url` with JSON output. `url` may be a function, read at each call, for a
 * server that starts in a `beforeAll`.
 */
export function awsCli(url: string | (() => string), env = awsEnvironment()): AwsCli {
  const endpoint = typeof url === 'string' ? () => url : url;
  async function runCli(...args: string[]): Promise<Record<string, unknown>> {
    const { stdout } = await run(
      'aws',
      ['--endpoint-url', endpoint(), '--output', 'json', ...args],
      {
        env,
      },
    );
    return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
  }
  return {
    run: runCli,
    async failure(...args) {
      try {
        await runCli(...args);
      } catch (error) {
        return (error as { stderr: string }).stderr;
      }
      throw new Error(`expected aws ${args.join(' ')} to fail`);
    },
  };
}
