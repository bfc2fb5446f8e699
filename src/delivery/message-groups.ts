import type { Delivery } from './delivery.js';
import { Fifo } from './fifo.js';

/** One message group of one subscription: the delivery under way and those behind it. */
interface Group {
  holder: Delivery;
  waiting: Fifo<Delivery>;
}

/**
 * FIFO order for the deliveries of messages that carry a MessageGroupId: per subscription,
 * one delivery of a group is under way at a time (ready, in flight or waiting for a retry),
 * and the next one of that group starts only once it is acked or dead-lettered. Groups are
 * independent of each other, so they still travel in parallel.
 */
export class MessageGroups {
  private readonly bySubscription = new Map<number, Map<string, Group>>();

  /**
   * True when `delivery` may go ahead now: it has no group, or it holds its group. Otherwise
   * it waits behind the group's holder, and {@link release} hands it over later.
   */
  claim(delivery: Delivery): boolean {
    const groupId = delivery.entry.message.messageGroupId;
    if (groupId === undefined) return true;

    let groups = this.bySubscription.get(delivery.subscription.id);
    if (!groups) {
      groups = new Map();
      this.bySubscription.set(delivery.subscription.id, groups);
    }
    const group = groups.get(groupId);
    if (!group) {
      groups.set(groupId, { holder: delivery, waiting: new Fifo() });
      return true;
    }
    if (group.holder === delivery) return true;
    group.waiting.push(delivery);
    return false;
  }

  /**
   * Ends `delivery`'s hold on its group; returns the next delivery of the group, which now
   * holds it and may go ahead, if one waits.
   */
  release(delivery: Delivery): Delivery | undefined {
    const groupId = delivery.entry.message.messageGroupId;
    if (groupId === undefined) return undefined;
    const groups = this.bySubscription.get(delivery.subscription.id);
    const group = groups?.get(groupId);
    if (!groups || group?.holder !== delivery) return undefined;

    const [next] = group.waiting.take(1);
    if (next) {
      group.holder = next;
      return next;
    }
    groups.delete(groupId);
    if (groups.size === 0) this.bySubscription.delete(delivery.subscription.id);
    return undefined;
  }

  /** Forgets a deleted subscription's groups; returns the deliveries that were waiting. */
  removeSubscription(subscriptionId: number): Delivery[] {
    const groups = this.bySubscription.get(subscriptionId);
    if (!groups) return [];
    this.bySubscription.delete(subscriptionId);
    const waiting: Delivery[] = [];
    for (const group of groups.values()) waiting.push(...group.waiting.clear());
    return waiting;
  }
}
