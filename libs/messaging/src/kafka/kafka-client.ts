import { Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import type { Logger } from '@settle/platform';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafka(options: { clientId: string; brokers: string[]; logger: Logger }): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => {
      const { message, ...rest } = entry.log;
      options.logger[levels[entry.level] ?? 'info']({ kafka: entry.namespace, ...rest }, message);
    },
  });
}

/**
 * The producer every service uses: idempotent (the broker drops a retried duplicate of a batch),
 * acks from all in-sync replicas, and the Java client's partitioner so keys land on the same
 * partition whichever client produced them.
 */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    // No retry limit: kafkajs keeps retrying an idempotent send, which is what keeps it exactly-once.
  });
}
