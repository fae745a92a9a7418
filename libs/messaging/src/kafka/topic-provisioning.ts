import { DEAD_LETTER_RETENTION_MS, TopicDefinition, TopicDefinitions, deadLetterTopicOf, physicalTopic } from '@settle/contracts';
import { Admin } from 'kafkajs';

export interface ProvisionResult {
  created: string[];
  existing: string[];
  /** Topics whose partition count was raised to the definition's. */
  grown: string[];
}

type ProvisionOptions = { prefix?: string; definitions?: readonly TopicDefinition[]; replicationFactor?: number };

/** Metadata answers a broker gives while a just-created topic is still propagating. */
const PROPAGATING = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_OR_FOLLOWER']);
const ATTEMPTS = 6;

/**
 * Creates every defined topic and its dead-letter topic, idempotently. Brokers run with
 * auto-creation off, so this is the only way a topic comes to exist. A broker may answer the
 * leader wait with "does not host this topic-partition" while a new topic propagates: being
 * idempotent, the whole step is simply tried again with backoff.
 */
export async function provisionTopics(admin: Admin, options: ProvisionOptions = {}): Promise<ProvisionResult> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await provisionOnce(admin, options);
    } catch (error) {
      const type = (error as { type?: string; cause?: { type?: string } }).type ?? (error as { cause?: { type?: string } }).cause?.type;
      if (attempt >= ATTEMPTS || !type || !PROPAGATING.has(type)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}

async function provisionOnce(admin: Admin, options: ProvisionOptions): Promise<ProvisionResult> {
  const prefix = options.prefix ?? '';
  const definitions = options.definitions ?? TopicDefinitions;
  const wanted = definitions.flatMap((d) => [
    { topic: physicalTopic(d.name, prefix), numPartitions: d.partitions, retentionMs: d.retentionMs },
    // One partition would do for volume, but the same count keeps a replay's per-key order.
    { topic: physicalTopic(deadLetterTopicOf(d.name), prefix), numPartitions: d.partitions, retentionMs: DEAD_LETTER_RETENTION_MS },
  ]);
  const existingNames = new Set(await admin.listTopics());
  const missing = wanted.filter((t) => !existingNames.has(t.topic));
  if (missing.length) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.topic,
        numPartitions: t.numPartitions,
        replicationFactor: options.replicationFactor ?? -1,
        configEntries: [
          { name: 'retention.ms', value: String(t.retentionMs) },
          { name: 'cleanup.policy', value: 'delete' },
        ],
      })),
    });
  }
  const grown: string[] = [];
  const present = wanted.filter((t) => existingNames.has(t.topic));
  if (present.length) {
    const metadata = await admin.fetchTopicMetadata({ topics: present.map((t) => t.topic) });
    const toGrow = present.filter((t) => {
      const current = metadata.topics.find((m) => m.name === t.topic)?.partitions.length ?? 0;
      return current < t.numPartitions;
    });
    if (toGrow.length) {
      await admin.createPartitions({ topicPartitions: toGrow.map((t) => ({ topic: t.topic, count: t.numPartitions })) });
      grown.push(...toGrow.map((t) => t.topic));
    }
  }
  return { created: missing.map((t) => t.topic), existing: present.map((t) => t.topic), grown };
}
