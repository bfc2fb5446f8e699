import type { Context, SNSEvent } from 'aws-lambda';

/** The part of an order event this function reads. */
interface Order {
  orderId: string;
  customerId: string;
  /** The order's total. */
  priceUsd: number;
}

/** What one invocation reports back. */
interface BigSpenderResult {
  flagged: number;
  totalUsd: number;
}

/** Orders worth more than this are worth a personal thank-you note. */
const THANK_YOU_THRESHOLD_USD = 15_000;

/**
 * Flags high-value orders for the loyalty team. The subscription's filter policy selects
 * the price range (numeric match on the `price_usd` attribute).
 */
export const handler = async (event: SNSEvent, context: Context): Promise<BigSpenderResult> => {
  let totalUsd = 0;

  for (const record of event.Records) {
    const order = JSON.parse(record.Sns.Message) as Order;
    totalUsd += order.priceUsd;

    if (order.priceUsd > THANK_YOU_THRESHOLD_USD) {
      console.log(`${context.functionName}: thank ${order.customerId} for ${order.orderId}`);
    }
  }

  return { flagged: event.Records.length, totalUsd: Math.round(totalUsd * 100) / 100 };
};
