/** A topic: the durable channel producers publish to. */
export interface Topic {
  arn: string;
  name: string;
  /** SNS topic attributes as set by clients (DisplayName, Policy, DeliveryPolicy, ...). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
}
