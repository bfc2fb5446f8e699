import type { PublishBatchRequestEntry } from '@aws-sdk/client-sns';

import type { OrderEvent } from './orders.js';

/**
 * An order event as an SNS message: the event as the JSON body, and the fields the filter
 * policies look at as message attributes (String and Number), as a publisher would set them.
 */
export function toBatchEntry(event: OrderEvent, id: string): PublishBatchRequestEntry {
  return {
    Id: id,
    Message: JSON.stringify(event),
    MessageAttributes: {
      event_type: { DataType: 'String', StringValue: event.eventType },
      store: { DataType: 'String', StringValue: event.store },
      sku: { DataType: 'String', StringValue: event.sku },
      customer_id: { DataType: 'String', StringValue: event.customerId },
      price_usd: { DataType: 'Number', StringValue: event.priceUsd.toFixed(2) },
      quantity: { DataType: 'Number', StringValue: String(event.quantity) },
    },
  };
}
