import { Kafka, KafkaMessage, logLevel } from 'kafkajs';

export interface ReceivedMessage {
  topic: string;
  partition: number;
  offset: string;
  key?: string;
  value?: string;
  headers: Record<string, string>;
}

/**
 * Reads a topic from the beginning in its own throw-away group and collects what it sees, so a
 * test can assert what really reached the broker.
 */
export class TopicProbe {
  readonly messages: ReceivedMessage[] = [];
  private readonly kafka: Kafka;
  private consumer?: ReturnType<Kafka['consumer']>;

  constructor(brokers: string[], private readonly topics: string[], private readonly groupId: string) {
    this.kafka = new Kafka({ clientId: 'test-probe', brokers, logLevel: logLevel.NOTHING });
  }

  async start(): Promise<this> {
    this.consumer = this.kafka.consumer({ groupId: this.groupId });
    await this.consumer.connect();
    for (const topic of this.topics) await this.consumer.subscribe({ topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.messages.push(toReceived(topic, partition, message));
      },
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

function toReceived(topic: string, partition: number, message: KafkaMessage): ReceivedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = first.toString();
  }
  return { topic, partition, offset: message.offset, key: message.key?.toString(), value: message.value?.toString(), headers };
}
