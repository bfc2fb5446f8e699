import { seededRandom, type Random } from './random.js';

/** What happened to an order. */
export type OrderEventType =
  'order_placed' | 'order_shipped' | 'order_cancelled' | 'order_refunded' | 'order_returned';

/** One event in the life of a web-shop order: the JSON body of every message the demo sends. */
export interface OrderEvent {
  eventId: string;
  eventType: OrderEventType;
  orderId: string;
  customerId: string;
  store: string;
  sku: string;
  quantity: number;
  unitPriceUsd: number;
  /** The order's total, `unitPriceUsd × quantity`, in cents precision. */
  priceUsd: number;
  occurredAt: string;
}

const EVENT_TYPES: ReadonlyArray<readonly [OrderEventType, number]> = [
  ['order_placed', 80],
  ['order_shipped', 12],
  ['order_cancelled', 4],
  ['order_refunded', 3],
  ['order_returned', 1],
];

const STORES: ReadonlyArray<readonly [string, number]> = [
  ['octank_online', 34],
  ['example_corp', 18],
  ['anycompany_berlin', 11],
  ['anycompany_lisbon', 9],
  ['anycompany_osaka', 8],
  ['anycompany_austin', 8],
  ['anycompany_toronto', 7],
  ['anycompany_nairobi', 5],
];

/** SKUs as a legacy upstream system sometimes sends them: about 0.3% of new orders. */
const MALFORMED_SKUS = [
  'SKU-',
  'SKU-12AB45',
  'SKU-0042',
  'sku-004211',
  'LEGACY-7731',
  'SKU_310552',
];
const MALFORMED_SKU_RATE = 0.003;

const CATALOG_SIZE = 5_000;
const CUSTOMERS = 20_000;
const STREAM_START = Date.parse('2025-11-28T08:00:00Z');

/** A catalogue entry: a SKU and its unit price (a few items are far dearer than most). */
interface Product {
  sku: string;
  unitPriceUsd: number;
}

function createCatalog(random: Random): Product[] {
  return Array.from({ length: CATALOG_SIZE }, (_, i) => ({
    sku: `SKU-${String(100_000 + i * 7)}`,
    unitPriceUsd: Math.max(0.99, Math.round(random.logNormal(24, 1.3) * 100) / 100),
  }));
}

function placeOrder(random: Random, catalog: Product[], serial: number): OrderEvent {
  const product = catalog[random.index(catalog.length, 2.5)]!;
  const malformed = random.next() < MALFORMED_SKU_RATE;
  const quantity = random.geometric(0.3, 50);

  return {
    eventId: '',
    eventType: 'order_placed',
    orderId: `ord-${String(serial).padStart(8, '0')}`,
    customerId: `cus-${String(random.index(CUSTOMERS, 2)).padStart(6, '0')}`,
    store: random.weighted(STORES),
    sku: malformed ? MALFORMED_SKUS[random.index(MALFORMED_SKUS.length)]! : product.sku,
    quantity,
    unitPriceUsd: product.unitPriceUsd,
    priceUsd: Math.round(product.unitPriceUsd * quantity * 100) / 100,
    occurredAt: '',
  };
}

/**
 * Generates a realistic, reproducible stream of `count` order events: mostly new orders,
 * followed later by shipments, cancellations, refunds and returns of orders placed earlier
 * in the stream. Popular products, big customers and big stores dominate; prices are skewed.
 */
export function generateOrderEvents(count: number, seed = 20251128): OrderEvent[] {
  const random = seededRandom(seed);
  const catalog = createCatalog(random);
  const placed: OrderEvent[] = [];
  const events: OrderEvent[] = [];

  for (let i = 0; i < count; i += 1) {
    const eventType = placed.length === 0 ? 'order_placed' : random.weighted(EVENT_TYPES);
    const order =
      eventType === 'order_placed'
        ? placeOrder(random, catalog, placed.length + 1)
        : placed[placed.length - 1 - random.index(Math.min(placed.length, 5_000), 2)]!;
    if (eventType === 'order_placed') placed.push(order);

    events.push({
      ...order,
      eventId: `evt-${String(i + 1).padStart(8, '0')}`,
      eventType,
      occurredAt: new Date(STREAM_START + i * 37).toISOString(),
    });
  }

  return events;
}
