import type { Subscription } from '../domain/subscription.js';
import type { SharedNames } from '../store/stores.js';
import type { Registry } from './registry.js';

/** How long a Subscribe waits for another node's identical one to arrive here, ms. */
const ARRIVAL_WAIT_MS = 5_000;
/** How often it looks, ms. */
const ARRIVAL_POLL_MS = 25;

/** The name a subscription claims across a cluster: its topic, protocol and endpoint. */
function nameOf(topicArn: string, protocol: string, endpoint: string): string {
  return `subscription\n${topicArn}\n${protocol.toLowerCase()}\n${endpoint}`;
}

/**
 * Keeps Subscribe idempotent across the nodes of a cluster, as SNS is: the same topic,
 * protocol and endpoint make one subscription, whichever nodes the calls reach. Before it
 * creates a subscription, a node claims its name; a node that finds the name claimed waits
 * until the other node's subscription has reached it, then answers with that one.
 */
export class SubscriptionUniqueness {
  constructor(
    private readonly names: SharedNames | undefined,
    private readonly registry: Registry,
  ) {}

  /**
   * Resolves once this node may create the subscription (or it exists here already). After
   * a few seconds without the other node's subscription, it lets this node create its own.
   */
  async beforeSubscribe(topicArn: string, protocol: string, endpoint: string): Promise<void> {
    if (!this.names || this.find(topicArn, protocol, endpoint)) return;
    if (await this.names.claimName(nameOf(topicArn, protocol, endpoint))) return;

    const deadline = Date.now() + ARRIVAL_WAIT_MS;
    while (!this.find(topicArn, protocol, endpoint) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, ARRIVAL_POLL_MS));
    }
  }

  /** Frees the names of deleted subscriptions, so that they can be made again at once. */
  released(subscriptions: readonly Subscription[]): Promise<unknown> {
    const { names } = this;
    if (!names) return Promise.resolve();
    return Promise.allSettled(
      subscriptions.map((s) => names.releaseName(nameOf(s.topicArn, s.protocol, s.endpoint))),
    );
  }

  private find(topicArn: string, protocol: string, endpoint: string): boolean {
    const kind = protocol.toLowerCase();
    return this.registry
      .subscriptionsOf(topicArn)
      .some((s) => s.protocol === kind && s.endpoint === endpoint);
  }
}
