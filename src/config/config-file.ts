import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ACCESS_KEY_SCHEMA } from '../api/auth/access-keys.js';

const functionSchema = z.strictObject({
  name: z.string(),
  /** Folder holding the function's code, relative to the config file. */
  code: z.string(),
  handler: z.string().default('index.handler'),
  runtime: z.string().optional(),
  timeoutSeconds: z.number().int().positive().optional(),
  memoryMb: z.number().int().positive().optional(),
  reservedConcurrency: z.number().int().nonnegative().optional(),
  maximumRetryAttempts: z.number().int().min(0).max(2).optional(),
  environment: z.record(z.string(), z.string()).optional(),
});

const subscriptionSchema = z.strictObject({
  protocol: z.enum(['lambda', 'sqs', 'http', 'https']),
  /** A function or queue name, or its full ARN. */
  endpoint: z.string(),
  attributes: z.record(z.string(), z.string()).optional(),
});

const topicSchema = z.strictObject({
  name: z.string(),
  attributes: z.record(z.string(), z.string()).optional(),
  subscriptions: z.array(subscriptionSchema).default([]),
});

const configSchema = z.strictObject({
  host: z.string().optional(),
  port: z.number().int().min(0).max(65535).optional(),
  dataDir: z.string().optional(),
  store: z.string().optional(),
  replicas: z.number().int().min(1).max(5).optional(),
  natsPrefix: z.string().optional(),
  ackWaitMs: z.number().int().positive().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  region: z.string().optional(),
  accountId: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  maxMessageBytes: z.number().int().positive().optional(),
  functionConcurrency: z.number().int().positive().optional(),
  retryBaseDelayMs: z.number().int().nonnegative().optional(),
  retryMaxDelayMs: z.number().int().nonnegative().optional(),
  defaultDeadLetterQueue: z.string().optional(),
  allowPrivateEndpoints: z.boolean().optional(),
  /** The base URL subscribers reach this server at (SubscribeURL, SigningCertURL). */
  publicUrl: z.url().optional(),
  /** PEM files for HTTP(S) delivery, relative to the config file. */
  caFile: z.string().optional(),
  signingKeyFile: z.string().optional(),
  signingCertFile: z.string().optional(),
  httpTimeoutMs: z.number().int().positive().optional(),
  confirmationTokenTtlMs: z.number().int().positive().optional(),
  pendingSubscriptionTtlMs: z.number().int().positive().optional(),
  /** Require SigV4-signed requests (the keys come from accessKeys and accessKeysFile). */
  auth: z.boolean().optional(),
  accessKeys: z.array(ACCESS_KEY_SCHEMA).optional(),
  /** A JSON file of access keys, relative to the config file. */
  accessKeysFile: z.string().optional(),
  queues: z.array(z.string()).default([]),
  functions: z.array(functionSchema).default([]),
  topics: z.array(topicSchema).default([]),
});

/** A parsed config file; folders in it are already absolute. */
export type HeraldConfig = z.infer<typeof configSchema>;
export type FunctionConfig = z.infer<typeof functionSchema>;

/** A config file that could not be read or does not fit the schema. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates a JSON config file, naming every field that is wrong. */
export function loadConfigFile(path: string): HeraldConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read config ${path}: ${(error as Error).message}`);
  }

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.join('.') || '(root)'}: ${i.message}`,
    );
    throw new ConfigError(`config ${path} is invalid:\n  ${problems.join('\n  ')}`);
  }

  const base = dirname(resolve(path));
  const config = parsed.data;
  for (const fn of config.functions) fn.code = resolve(base, fn.code);
  if (config.dataDir !== undefined) config.dataDir = resolve(base, config.dataDir);
  for (const key of ['caFile', 'signingKeyFile', 'signingCertFile'] as const) {
    const file = config[key];
    if (file !== undefined) config[key] = resolve(base, file);
  }
  if (config.accessKeysFile !== undefined) {
    config.accessKeysFile = resolve(base, config.accessKeysFile);
  }
  return config;
}
