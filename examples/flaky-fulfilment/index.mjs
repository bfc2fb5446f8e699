/** What a well-formed SKU looks like; anything else is a data error upstream. */
const SKU_PATTERN = /^SKU-\d{6}$/;

/** The warehouse's superstition: it refuses to pick thirteen of anything. */
const UNLUCKY_QUANTITY = 13;

/**
 * Reserves stock for placed orders. It throws, every time, for an order whose SKU is
 * malformed or whose quantity is 13, so those deliveries exhaust their retries and end up
 * in the subscription's dead-letter queue.
 */
export const handler = async (event) => {
  for (const record of event.Records) {
    const order = JSON.parse(record.Sns.Message);

    if (!SKU_PATTERN.test(order.sku)) {
      throw new Error(`Malformed SKU ${JSON.stringify(order.sku)} in order ${order.orderId}`);
    }
    if (order.quantity === UNLUCKY_QUANTITY) {
      throw new Error(`Will not pick ${UNLUCKY_QUANTITY} x ${order.sku} (order ${order.orderId})`);
    }
  }

  return { reserved: event.Records.length };
};
