import { Kafka, KafkaMessage } from 'kafkajs';
import { randomUUID } from 'node:crypto';

export interface ReadMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/**
 * Reads every message that is on `topics` now (up to the high watermarks taken at the start),
 * then stops: a dead-letter listing or the audit, never a consumer that stays. It reads under a
 * throw-away consumer group that commits nothing and is deleted afterwards. Topics that do not
 * exist are skipped.
 */
export async function readTopics(kafka: Kafka, topics: string[], timeoutMs = 60_000): Promise<ReadMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const wanted = topics.filter((t) => existing.has(t));
  const remaining = new Map<string, bigint>(); // `${topic}:${partition}` -> last offset to read
  for (const topic of wanted) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(p.high) > BigInt(p.low)) remaining.set(`${topic}:${p.partition}`, BigInt(p.high) - 1n);
    }
  }
  const out: ReadMessage[] = [];
  if (remaining.size === 0) {
    await admin.disconnect();
    return out;
  }
  const groupId = `settle-cli.read.${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, rebalanceTimeout: 10_000 });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set([...remaining.keys()].map((k) => k.slice(0, k.lastIndexOf(':'))))], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${wanted.join(', ')} did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const key = `${batch.topic}:${batch.partition}`;
            const last = remaining.get(key);
            for (const message of batch.messages) {
              if (last !== undefined && BigInt(message.offset) <= last) out.push({ topic: batch.topic, partition: batch.partition, message });
            }
            if (last !== undefined && batch.messages.length && BigInt(batch.messages[batch.messages.length - 1].offset) >= last) remaining.delete(key);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || (BigInt(a.message.offset) < BigInt(b.message.offset) ? -1 : 1));
}
