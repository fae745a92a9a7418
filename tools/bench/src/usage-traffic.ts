import { Topics, UsageRecordData, UsageRecordV1 } from '@settle/contracts';
import { encodeEvent } from '@settle/messaging';
import { Producer } from 'kafkajs';
import { BenchPlatform } from './bench-platform';
import { RecordContext, eventIdOf, usageRecordOf } from './data-set';

/** Usage records as a rating system sends them: CloudEvents in Kafka binary mode, key = customer id. */
export function usageMessage(record: UsageRecordData, producedAt: Date) {
  return encodeEvent({
    id: eventIdOf(record.record_id),
    type: UsageRecordV1.type,
    source: '/bench/rating-system',
    time: producedAt.toISOString(),
    partitionKey: record.customer_id,
    subject: record.customer_id,
    data: record,
  });
}

export async function usageProducer(platform: BenchPlatform): Promise<Producer> {
  // acks from all replicas, as the tests' external systems produce. Not kafkajs's idempotent mode:
  // it fails concurrent sends with OUT_OF_ORDER_SEQUENCE_NUMBER, and a few sends in flight are what
  // lets one process offer ~10,000 records/s; the record id is the consumer's idempotency key anyway.
  const producer = platform.kafka.producer();
  await producer.connect();
  return producer;
}

/** Produces records [0, count) of a set as fast as the broker takes them, `batch` a send, a few sends in flight. */
export async function produceAll(producer: Producer, platform: BenchPlatform, ctx: RecordContext, count: number, batch = 1_000): Promise<void> {
  const topic = platform.topic(Topics.UsageRecords);
  const inFlight = new Set<Promise<unknown>>();
  for (let start = 0; start < count; start += batch) {
    const now = new Date();
    const messages = [];
    for (let i = start; i < Math.min(count, start + batch); i++) messages.push(usageMessage(usageRecordOf(i, ctx), now));
    const sent = producer.send({ topic, acks: -1, messages }).finally(() => inFlight.delete(sent));
    inFlight.add(sent);
    if (inFlight.size >= 4) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

/**
 * Produces records at a fixed rate (records/s) for `seconds`, in small sends every 20 ms on an
 * absolute schedule (a slow send does not shift the ones after it). Returns each record's produce
 * time (ms since the epoch), by index.
 */
export async function produceAtRate(producer: Producer, platform: BenchPlatform, ctx: RecordContext, rate: number, seconds: number): Promise<{ producedAt: Float64Array; ms: number }> {
  const topic = platform.topic(Topics.UsageRecords);
  const total = rate * seconds;
  const producedAt = new Float64Array(total);
  const tickMs = 20;
  const started = Date.now();
  let sentCount = 0;
  const inFlight = new Set<Promise<unknown>>();
  for (let tick = 1; sentCount < total; tick++) {
    const due = Math.min(total, Math.floor((rate * tick * tickMs) / 1000));
    const messages = [];
    const now = Date.now();
    for (; sentCount < due; sentCount++) {
      producedAt[sentCount] = now;
      messages.push(usageMessage(usageRecordOf(sentCount, ctx), new Date(now)));
    }
    if (messages.length) {
      const sent = producer.send({ topic, acks: -1, messages }).finally(() => inFlight.delete(sent));
      inFlight.add(sent);
    }
    if (inFlight.size > 200) throw new Error(`the broker did not keep up with ${rate} records/s (200 sends in flight)`);
    const wait = started + tick * tickMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  await Promise.all(inFlight);
  return { producedAt, ms: Date.now() - started };
}
