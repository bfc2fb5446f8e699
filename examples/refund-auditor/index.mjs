/**
 * Audits money going back to customers. The subscription's filter policy passes every event
 * type except placements and shipments (`anything-but` on the `event_type` attribute).
 */
export const handler = async (event) => {
  let refundedUsd = 0;

  for (const record of event.Records) {
    const order = JSON.parse(record.Sns.Message);
    const eventType = record.Sns.MessageAttributes.event_type?.Value;
    if (eventType === 'order_refunded') refundedUsd += order.priceUsd;
  }

  return { audited: event.Records.length, refundedUsd: Math.round(refundedUsd * 100) / 100 };
};
