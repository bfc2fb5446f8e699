import { DEFAULTS } from '../config/defaults.js';
import type { GovernorOptions } from '../functions/concurrency-governor.js';
import type { HeraldOptions } from './options.js';

/** The governor's limits and scaling policy from Herald's options and defaults. */
export function governorOptionsOf(
  options: HeraldOptions,
  reservedOf: (name: string) => number | undefined,
): GovernorOptions {
  return {
    limit: options.functionConcurrencyLimit ?? DEFAULTS.functionConcurrencyLimit,
    defaultCap: options.functionConcurrency ?? DEFAULTS.functionConcurrency,
    scaleUpPerSecond: options.functionScaleUpPerSecond ?? DEFAULTS.functionScaleUpPerSecond,
    scaleUpBurst: options.functionScaleUpBurst ?? DEFAULTS.functionScaleUpBurst,
    idleReleaseMs: options.functionIdleReleaseMs ?? DEFAULTS.functionIdleReleaseMs,
    reservedOf,
  };
}
