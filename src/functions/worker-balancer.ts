import type { Piscina } from 'piscina';

/** How piscina picks the worker thread for a task (its `loadBalancer` option). */
type Balancer = NonNullable<NonNullable<ConstructorParameters<typeof Piscina>[0]>['loadBalancer']>;
type Worker = Parameters<Balancer>[1][number];

/**
 * Batches one worker thread may run at once. A handler awaiting I/O leaves its thread free,
 * so a thread runs many batches side by side; the engine's concurrency limits are what cap
 * the invocations in flight, not this.
 */
export const BATCHES_PER_WORKER = 1_000;

/**
 * Spreads batches over the threads, then shares them: an idle thread takes the next batch;
 * while every thread is busy and the pool may start another, the batch waits for it (so
 * CPU-bound handlers get every core); once the pool is full, the least busy thread takes
 * it. Piscina's own balancer gives a thread that runs a cancellable batch nothing else; as
 * every batch was cancellable, a slow handler's invocations ran one batch per thread.
 */
export function spreadThenShare(maxThreads: number): Balancer {
  return (task, workers) => {
    let leastBusy: Worker | null = null;
    for (const worker of workers) {
      if (worker.terminating || worker.destroyed) continue;
      if (worker.currentUsage === 0) return worker;
      // A cancellable task runs alone: it waits for an idle thread, and a thread running
      // one (whose usage piscina reports as infinite) takes nothing else.
      if (task.isAbortable || worker.currentUsage >= BATCHES_PER_WORKER) continue;
      if (!leastBusy || worker.currentUsage < leastBusy.currentUsage) leastBusy = worker;
    }
    return workers.length < maxThreads ? null : leastBusy;
  };
}
