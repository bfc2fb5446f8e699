import type { MessageAttributes } from './message.js';

/** A built-in durable queue: a subscription endpoint and a dead-letter target. */
export interface Queue {
  name: string;
  arn: string;
  createdAt: number;
}

/** A queue as listings show it: with how many messages it holds now. */
export interface QueueSummary extends Queue {
  depth: number;
}

/** A message held in a queue. */
export interface QueueMessage {
  id: number;
  queueName: string;
  body: string;
  attributes: MessageAttributes;
  /** How many times it was received without being deleted. */
  receiveCount: number;
  sentAt: number;
}
