/**
 * Tells a store's staff that an order was placed there. The subscription's filter policy
 * selects the stores (exact string match on the `store` attribute) and the event type.
 */
export const handler = async (event) => {
  const notices = event.Records.map((record) => {
    const order = JSON.parse(record.Sns.Message);
    const store = record.Sns.MessageAttributes.store?.Value ?? order.store;
    return `${store}: order ${order.orderId}, ${order.quantity} x ${order.sku}`;
  });

  return { notified: notices.length, lastNotice: notices.at(-1) };
};
