import { functionArn, type Partition } from '../domain/arn.js';
import type { EventInvokeConfig, FunctionDefinition } from '../domain/function.js';
import type { Subscription } from '../domain/subscription.js';
import { HeraldError } from '../errors/index.js';
import type { BundleStore } from '../functions/bundle-store.js';
import type { ConcurrencyGovernor } from '../functions/concurrency-governor.js';
import { eventSubscriptionOf } from '../functions/event-queue.js';
import type { FunctionCode, FunctionPool } from '../functions/pool.js';
import type { Catalog } from '../store/catalog.js';
import type { BundleArchive } from '../store/stores.js';
import type { DeployFunctionInput } from './api.js';
import { DEFAULTS } from '../config/defaults.js';
import {
  checkEventInvokeConfig,
  checkFunctionName,
  checkFunctionSettings,
  type FunctionUpdate,
} from './function-settings.js';

/** Function lifecycle: deploy (create or replace), update, describe, list, remove. */
export class FunctionService {
  private readonly codes = new Map<string, FunctionCode>();
  private readonly definitions = new Map<string, FunctionDefinition>();
  private readonly eventSubscriptions = new Map<number, Subscription>();

  constructor(
    private readonly catalog: Catalog,
    private readonly bundles: BundleStore,
    private readonly pool: FunctionPool,
    private readonly partition: Partition,
    private readonly governor: ConcurrencyGovernor,
    /** Where the code of a cluster's functions is kept for every node; unset when embedded. */
    private readonly archive?: BundleArchive,
  ) {
    for (const definition of catalog.listFunctions()) this.remember(definition);
  }

  async deploy(input: DeployFunctionInput): Promise<FunctionDefinition> {
    const { name, zip, ...settings } = input;
    checkFunctionName(name);
    checkFunctionSettings(name, settings);
    if (zip.byteLength === 0) throw invalid(name, 'The code bundle is empty');
    if (settings.reservedConcurrency !== undefined) {
      this.checkReservation(name, settings.reservedConcurrency);
    }
    const bundle = await this.bundles.put(name, zip);
    await this.archive?.put(bundle.sha256, zip);
    const previous = this.definitions.get(name);

    const definition: FunctionDefinition = {
      name,
      arn: functionArn(this.partition, name),
      handler: settings.handler,
      runtime: settings.runtime ?? DEFAULTS.functionRuntime,
      timeoutSeconds: settings.timeoutSeconds ?? DEFAULTS.functionTimeoutSeconds,
      memoryMb: settings.memoryMb ?? DEFAULTS.functionMemoryMb,
      environment: settings.environment ?? {},
      codeSha256: bundle.sha256,
      codeSize: bundle.size,
      maximumRetryAttempts: settings.maximumRetryAttempts ?? DEFAULTS.functionMaximumRetryAttempts,
      lastModified: Date.now(),
      eventQueueId: previous?.eventQueueId ?? this.catalog.newEventQueueId(),
      reservedConcurrency: settings.reservedConcurrency,
      role: settings.role ?? previous?.role,
      description: settings.description,
      eventInvokeConfig: previous?.eventInvokeConfig,
      policyStatements: previous?.policyStatements,
    };
    await this.store(definition, true);
    return definition;
  }

  /**
   * Changes a deployed function. New code or runtime settings give it fresh workers;
   * concurrency and asynchronous-invocation settings apply at once, workers kept.
   */
  async update(name: string, update: FunctionUpdate): Promise<FunctionDefinition> {
    const current = this.get(name);
    const { zip, reservedConcurrency, eventInvokeConfig, policyStatements, ...settings } = update;
    checkFunctionSettings(name, {
      ...settings,
      reservedConcurrency: reservedConcurrency ?? undefined,
    });
    if (eventInvokeConfig) checkEventInvokeConfig(name, eventInvokeConfig);
    if (typeof reservedConcurrency === 'number') this.checkReservation(name, reservedConcurrency);

    const next: FunctionDefinition = { ...current, ...withoutUndefined(settings) };
    if (zip !== undefined) {
      if (zip.byteLength === 0) throw invalid(name, 'The code bundle is empty');
      const bundle = await this.bundles.put(name, zip);
      await this.archive?.put(bundle.sha256, zip);
      next.codeSha256 = bundle.sha256;
      next.codeSize = bundle.size;
    }
    if (reservedConcurrency === null) delete next.reservedConcurrency;
    else if (reservedConcurrency !== undefined) next.reservedConcurrency = reservedConcurrency;
    if (eventInvokeConfig === null) delete next.eventInvokeConfig;
    else if (eventInvokeConfig !== undefined) next.eventInvokeConfig = eventInvokeConfig;
    if (policyStatements?.length === 0) delete next.policyStatements;
    else if (policyStatements !== undefined) next.policyStatements = policyStatements;

    const redeployed = zip !== undefined || Object.keys(withoutUndefined(settings)).length > 0;
    if (redeployed) next.lastModified = Date.now();
    await this.store(next, redeployed);
    return next;
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
    await this.release(name);
  }

  /** The function's definition, or undefined. */
  definition(name: string): FunctionDefinition | undefined {
    return this.definitions.get(name);
  }

  /**
   * Takes on a function another node deployed or changed: fetches its code from the
   * archive unless it is here already, then runs it as deployed here, unless the catalog
   * holds a newer definition by then. Returns its event subscription (undefined when it
   * has none or the definition was superseded).
   */
  async adopt(definition: FunctionDefinition): Promise<Subscription | undefined> {
    const { name, codeSha256 } = definition;
    await this.fetchCode(definition);
    // While the code was fetched, a deploy here or a later change from another node may
    // have replaced this definition in the catalog: the newer one stands.
    const current = this.catalog.getFunction(name);
    if (JSON.stringify(current) !== JSON.stringify(definition)) return undefined;

    const previous = this.definitions.get(name);
    const redeployed =
      previous === undefined ||
      previous.codeSha256 !== codeSha256 ||
      previous.lastModified !== definition.lastModified;
    this.remember(definition);
    this.governor.reconsider();
    if (redeployed) {
      this.codes.delete(name);
      await this.pool.unload(name);
    }
    const id = definition.eventQueueId;
    return id === undefined ? undefined : this.eventSubscriptions.get(id);
  }

  /** Fetches from the archive the code of every function whose bundle is not here. */
  async fetchMissingCode(): Promise<void> {
    for (const definition of this.definitions.values()) await this.fetchCode(definition);
  }

  private async fetchCode({ name, codeSha256 }: FunctionDefinition): Promise<void> {
    if (!this.archive || (await this.bundles.has(name, codeSha256))) return;
    const zip = await this.archive.get(codeSha256);
    if (!zip) throw new HeraldError('InternalError', `No code bundle ${codeSha256} for ${name}`);
    await this.bundles.put(name, zip);
  }

  /** Stops running a function that is gone from the catalog, and deletes its code here. */
  async release(name: string): Promise<void> {
    const definition = this.definitions.get(name);
    if (!definition) return;
    this.definitions.delete(name);
    this.codes.delete(name);
    if (definition.eventQueueId !== undefined) {
      this.eventSubscriptions.delete(definition.eventQueueId);
    }
    this.governor.reconsider();
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

  /** The function's reserved concurrency, or undefined. */
  reservedConcurrency(name: string): number | undefined {
    return this.definitions.get(name)?.reservedConcurrency;
  }

  /** The function's asynchronous-invocation settings, or undefined. */
  eventInvokeConfig(name: string): EventInvokeConfig | undefined {
    return this.definitions.get(name)?.eventInvokeConfig;
  }

  /** Attempts in all (first plus Lambda-style retries). */
  maxAttempts(name: string): number {
    const definition = this.definitions.get(name);
    const retries =
      definition?.eventInvokeConfig?.maximumRetryAttempts ??
      definition?.maximumRetryAttempts ??
      DEFAULTS.functionMaximumRetryAttempts;
    return retries + 1;
  }

  /** The internal subscription carrying the function's Event invocations. */
  eventSubscription(name: string): Subscription {
    const id = this.get(name).eventQueueId;
    const subscription = id === undefined ? undefined : this.eventSubscriptions.get(id);
    if (!subscription) throw new HeraldError('InternalError', `No event queue for ${name}`);
    return subscription;
  }

  /** Every function's Event-invocation subscription by id, to restore pending invocations. */
  eventSubscriptionsById(): ReadonlyMap<number, Subscription> {
    return this.eventSubscriptions;
  }

  private async store(definition: FunctionDefinition, redeployed: boolean): Promise<void> {
    this.catalog.putFunction(definition);
    this.remember(definition);
    this.governor.reconsider();
    if (!redeployed) return;
    this.codes.delete(definition.name);
    await this.pool.unload(definition.name);
  }

  private remember(definition: FunctionDefinition): void {
    this.definitions.set(definition.name, definition);
    if (definition.eventQueueId !== undefined) {
      const subscription = eventSubscriptionOf(definition, definition.eventQueueId);
      this.eventSubscriptions.set(definition.eventQueueId, subscription);
    }
  }

  private checkReservation(name: string, reserved: number): void {
    const others: number[] = [];
    for (const definition of this.definitions.values()) {
      if (definition.name !== name && definition.reservedConcurrency !== undefined) {
        others.push(definition.reservedConcurrency);
      }
    }
    this.governor.checkReservation(name, reserved, others);
  }
}

function invalid(name: string, message: string): HeraldError {
  return new HeraldError('InvalidParameterValue', message, { functionName: name });
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, each]) => each !== undefined),
  ) as Partial<T>;
}
