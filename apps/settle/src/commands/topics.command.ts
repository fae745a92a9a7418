import { createKafka, provisionTopics } from '@settle/messaging';
import { createLogger } from '@settle/platform';
import { Command } from 'commander';
import { print } from '../output';
import { settings } from '../settings';

export function topicsCommand(): Command {
  const topics = new Command('topics').description('Kafka topics');
  topics
    .command('provision')
    .description('Create every topic and dead-letter topic from the contracts (idempotent)')
    .option('--brokers <list>', 'bootstrap brokers (default KAFKA_BROKERS or 127.0.0.1:9092)')
    .option('--prefix <prefix>', 'topic prefix (default KAFKA_TOPIC_PREFIX)')
    .option('--json', 'print JSON')
    .action(async (options: { brokers?: string; prefix?: string; json?: boolean }) => {
      const s = settings();
      const brokers = (options.brokers ?? s.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
      const kafka = createKafka({ clientId: 'settle-cli', brokers, logger: createLogger('settle-cli', 'error') });
      const admin = kafka.admin();
      await admin.connect();
      try {
        const result = await provisionTopics(admin, { prefix: options.prefix ?? s.KAFKA_TOPIC_PREFIX ?? '' });
        print(result, options.json, () => [
          `created  ${result.created.length ? result.created.join(', ') : '(none)'}`,
          `existing ${result.existing.length}`,
          ...(result.grown.length ? [`grown    ${result.grown.join(', ')}`] : []),
        ]);
      } finally {
        await admin.disconnect();
      }
    });
  return topics;
}
