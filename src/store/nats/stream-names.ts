/**
 * Names of the JetStream streams and subjects a Herald cluster's journal uses. Every name
 * starts with the cluster's prefix, so several clusters can share one NATS server.
 */
export interface JournalNames {
  /** The work-queue stream holding every pending delivery. */
  deliveries: string;
  /** The stream holding the messages of built-in queues, dead letters included. */
  queues: string;
  /** Every subject of the deliveries stream. */
  deliveriesSubjects: string;
  /** Every subject of the queues stream. */
  queuesSubjects: string;
  /** The subject a subscription's deliveries are published to. */
  deliverySubject(subscriptionId: number): string;
  /** The durable consumer that leases a subscription's deliveries. */
  deliveryConsumer(subscriptionId: number): string;
  /** The subject of a queue's messages; dead letters get their own so they can be counted. */
  queueSubject(queueName: string, deadLetter: boolean): string;
  /** Every subject of one queue. */
  queueSubjects(queueName: string): string;
  /** The subjects of one queue's dead letters. */
  deadLetterSubject(queueName: string): string;
}

/** The journal's names under `prefix`. */
export function journalNames(prefix: string): JournalNames {
  const queueToken = (name: string) => name.replaceAll('.', '~');
  return {
    deliveries: `${prefix}-deliveries`,
    queues: `${prefix}-queues`,
    deliveriesSubjects: `${prefix}.delivery.>`,
    queuesSubjects: `${prefix}.queue.>`,
    deliverySubject: (id) => `${prefix}.delivery.${id}`,
    deliveryConsumer: (id) => (id < 0 ? `fn${-id}` : `sub${id}`),
    queueSubject: (name, deadLetter) =>
      `${prefix}.queue.${queueToken(name)}.${deadLetter ? 'dl' : 'm'}`,
    queueSubjects: (name) => `${prefix}.queue.${queueToken(name)}.*`,
    deadLetterSubject: (name) => `${prefix}.queue.${queueToken(name)}.dl`,
  };
}
