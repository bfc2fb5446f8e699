/** The endpoint kinds a subscription delivers to. */
export const PROTOCOLS = ['lambda', 'sqs', 'http', 'https'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** A subscription: fans a topic's matching messages out to one endpoint. */
export interface Subscription {
  /** Herald's compact internal id, used by deliveries. */
  id: number;
  arn: string;
  topicArn: string;
  protocol: Protocol;
  endpoint: string;
  /** Subscription attributes as set by clients (FilterPolicy, RawMessageDelivery, ...). */
  attributes: Record<string, string>;
  /** False while an HTTP(S) subscription awaits confirmation. */
  confirmed: boolean;
  createdAt: number;
}
