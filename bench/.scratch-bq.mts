import { runBullmqFanout } from './scenarios/bullmq-fanout.ts';
for (const c of [
  { messages: 10000, subscriptions: 1 },
  { messages: 10000, subscriptions: 10 },
  { messages: 100000, subscriptions: 1 },
]) {
  const r = await runBullmqFanout(c);
  console.log(
    c,
    Math.round(r.messages / (r.publishMs / 1000)),
    Math.round(r.messages / (r.totalMs / 1000)),
    Math.round(r.deliveries / (r.totalMs / 1000)),
    r.p50Ms,
    r.p99Ms,
    r.deliveries,
  );
}
