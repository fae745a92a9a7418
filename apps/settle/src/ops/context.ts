import { verifyOperatorToken } from '@settle/auth';
import { createKafka } from '@settle/messaging';
import { createLogger } from '@settle/platform';
import { Kafka } from 'kafkajs';
import { CliError, OperatorApi, operatorCredentials } from '../api-client';
import { settings } from '../settings';

/**
 * What an on-call command needs to act on Kafka and Redis directly: the deployment's brokers,
 * topic prefix, Redis URL and key prefix, and who is acting (the operator token's subject,
 * recorded in the audit of every change).
 */
export interface OpsContext {
  kafka: Kafka;
  topicPrefix: string;
  redisUrl: string;
  redisPrefix: string;
  actor: string;
}

export interface InfraOptions {
  brokers?: string;
  prefix?: string;
  url?: string;
}

export const infraOptions = <T extends { option(flags: string, description: string): T }>(command: T): T =>
  command
    .option('--brokers <list>', 'Kafka bootstrap brokers (default KAFKA_BROKERS or 127.0.0.1:9092)')
    .option('--prefix <prefix>', 'topic and consumer-group prefix of the deployment (default KAFKA_TOPIC_PREFIX)')
    .option('--url <url>', 'gateway base URL, to check the operator token when its secret is not at hand (default SETTLE_URL)');

export async function opsContext(options: InfraOptions): Promise<OpsContext> {
  const s = settings();
  const brokers = (options.brokers ?? s.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
  const kafka = createKafka({ clientId: 'settle-cli', brokers, logger: createLogger('settle-cli', 'error') });
  return {
    kafka,
    topicPrefix: options.prefix ?? s.KAFKA_TOPIC_PREFIX ?? '',
    redisUrl: s.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisPrefix: s.REDIS_PREFIX ?? 'settle',
    actor: await operatorSubject(options.url),
  };
}

/**
 * The operator acting: the token's subject, after checking the token. With the token secret at
 * hand the check is local; otherwise the gateway checks it on a harmless read.
 */
async function operatorSubject(url?: string): Promise<string> {
  const { token, tokenSecret } = operatorCredentials(url);
  if (tokenSecret) {
    try {
      return verifyOperatorToken(token, tokenSecret).sub;
    } catch (error) {
      throw new CliError(`The operator token is not valid: ${(error as Error).message}`);
    }
  }
  await OperatorApi.fromSettings(url).request('GET', '/operator/outbox/customer-service?limit=1');
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown };
    if (typeof claims.sub === 'string' && claims.sub) return claims.sub;
  } catch {
    // fall through
  }
  throw new CliError('The operator token carries no subject.');
}
