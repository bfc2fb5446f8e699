import { functionArn, type Partition } from '../domain/arn.js';
import type { FunctionDefinition } from '../domain/function.js';
import { HeraldError } from '../errors/index.js';
import type { BundleStore } from '../functions/bundle-store.js';
import type { FunctionCode, FunctionPool } from '../functions/pool.js';
import type { Catalog } from '../store/catalog.js';
import type { DeployFunctionInput } from './api.js';
import { DEFAULTS } from '../config/defaults.js';

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const HANDLER = /^[^\s]+\.[A-Za-z_$][\w$]*$/;
const RUNTIMES = new Set(['nodejs18.x', 'nodejs20.x', 'nodejs22.x']);

/** Function lifecycle: deploy (create or replace), describe, list, remove. */
export class FunctionService {
  private readonly codes = new Map<string, FunctionCode>();
  private readonly definitions = new Map<string, FunctionDefinition>();

  constructor(
    private readonly catalog: Catalog,
    private readonly bundles: BundleStore,
    private readonly pool: FunctionPool,
    private readonly partition: Partition,
    private readonly defaultConcurrency: number,
  ) {
    for (const definition of catalog.listFunctions()) {
      this.definitions.set(definition.name, definition);
    }
  }

  async deploy(input: DeployFunctionInput): Promise<FunctionDefinition> {
    checkDeployInput(input);
    const bundle = await this.bundles.put(input.name, input.zip);

    const definition: FunctionDefinition = {
      name: input.name,
      arn: functionArn(this.partition, input.name),
      handler: input.handler,
      runtime: input.runtime ?? DEFAULTS.functionRuntime,
      timeoutSeconds: input.timeoutSeconds ?? DEFAULTS.functionTimeoutSeconds,
      memoryMb: input.memoryMb ?? DEFAULTS.functionMemoryMb,
      environment: input.environment ?? {},
      codeSha256: bundle.sha256,
      codeSize: bundle.size,
      maximumRetryAttempts: input.maximumRetryAttempts ?? DEFAULTS.functionMaximumRetryAttempts,
      lastModified: Date.now(),
      ...(input.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrency: input.reservedConcurrency }),
    };
    this.catalog.putFunction(definition);
    this.definitions.set(definition.name, definition);
    this.codes.delete(definition.name);
    await this.pool.unload(definition.name);
    return definition;
  }

  get(name: string): FunctionDefinition {
    const definition = this.definitions.get(name);
    if (!definition) {
      throw new HeraldError('NotFound', `Function not found: ${name}`, { functionName: name });
    }
    return definition;
  }

  has(name: string): boolean {
    return this.code(name) !== undefined;
  }

  list(): FunctionDefinition[] {
    return [...this.definitions.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async remove(name: string): Promise<void> {
    this.get(name);
    this.catalog.deleteFunction(name);
    this.definitions.delete(name);
    this.codes.delete(name);
    await this.pool.unload(name);
    await this.bundles.remove(name);
  }

  /** What the pool needs to run the function, cached; undefined when it does not exist. */
  code(name: string): FunctionCode | undefined {
    const cached = this.codes.get(name);
    if (cached) return cached;
    const definition = this.definitions.get(name);
    if (!definition) return undefined;

    const code: FunctionCode = {
      name,
      arn: definition.arn,
      dir: this.bundles.dirFor(name, definition.codeSha256),
      handler: definition.handler,
      timeoutSeconds: definition.timeoutSeconds,
      memoryMb: definition.memoryMb,
      environment: definition.environment,
      version: `${definition.codeSha256}:${definition.lastModified}`,
    };
    this.codes.set(name, code);
    return code;
  }

  /** In-flight invocations the function may have. */
  concurrency(name: string): number {
    return this.definitions.get(name)?.reservedConcurrency ?? this.defaultConcurrency;
  }

  /** Attempts in all (first plus Lambda-style retries). */
  maxAttempts(name: string): number {
    const retries =
      this.definitions.get(name)?.maximumRetryAttempts ?? DEFAULTS.functionMaximumRetryAttempts;
    return retries + 1;
  }
}

function checkDeployInput(input: DeployFunctionInput): void {
  const invalid = (message: string) =>
    new HeraldError('InvalidParameterValue', message, { functionName: input.name });

  if (!FUNCTION_NAME.test(input.name)) {
    throw invalid('Function name must be 1 to 64 letters, digits, hyphens or underscores');
  }
  if (!HANDLER.test(input.handler)) {
    throw invalid(`Handler '${input.handler}' must look like file.export, e.g. index.handler`);
  }
  if (input.runtime !== undefined && !RUNTIMES.has(input.runtime)) {
    throw invalid(`Runtime ${input.runtime} is not supported: use ${[...RUNTIMES].join(', ')}`);
  }
  const timeout = input.timeoutSeconds;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 1 || timeout > 900)) {
    throw invalid('Timeout must be a whole number of seconds from 1 to 900');
  }
  const memory = input.memoryMb;
  if (memory !== undefined && (!Number.isInteger(memory) || memory < 128 || memory > 10240)) {
    throw invalid('MemorySize must be a whole number of MB from 128 to 10240');
  }
  const concurrency = input.reservedConcurrency;
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 0)) {
    throw invalid('ReservedConcurrentExecutions must be a whole number, 0 or more');
  }
  const retries = input.maximumRetryAttempts;
  if (retries !== undefined && (!Number.isInteger(retries) || retries < 0 || retries > 2)) {
    throw invalid('MaximumRetryAttempts must be 0, 1 or 2');
  }
  if (input.zip.byteLength === 0) throw invalid('The code bundle is empty');
}
