import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * Every test run gets its own schemas, topics, consumer groups and Redis prefix, so runs never
 * see each other's data and a rerun starts clean.
 */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export interface TestNamespace {
  /** e.g. `t_lx2k9a3f1c_` — prefix for schemas. */
  schemaPrefix: string;
  /** e.g. `test.lx2k9a3f1c.` — prefix for topics and consumer groups (KAFKA_TOPIC_PREFIX). */
  topicPrefix: string;
  /** e.g. `test-lx2k9a3f1c` — Redis key prefix (REDIS_PREFIX). */
  redisPrefix: string;
}

export function testNamespace(): TestNamespace {
  const id = uniqueSuffix();
  return { schemaPrefix: `t_${id}_`, topicPrefix: `test.${id}.`, redisPrefix: `test-${id}` };
}

export async function dropSchemas(databaseUrl: string, schemas: string[]): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
  // The run's topics go with its schemas (`t_<id>_…` ↔ `test.<id>.…`): a broker that kept every
  // run's topics would hold tens of thousands of partitions and run out of file descriptors.
  const ids = [...new Set(schemas.map((s) => /^t_([a-z0-9]+)_/.exec(s)?.[1]).filter((id): id is string => !!id))];
  if (ids.length) await deleteTestTopics(ids.map((id) => `test.${id}.`));
}

/** Deletes the topics (and dead-letter topics) under these test prefixes; best effort, never fails a teardown. */
export async function deleteTestTopics(prefixes: string[], brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')): Promise<void> {
  const admin = new Kafka({ clientId: 'test-teardown', brokers, logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => prefixes.some((p) => t.startsWith(p)));
    if (topics.length) await admin.deleteTopics({ topics, timeout: 15_000 });
  } catch (error) {
    process.stderr.write(`test teardown: could not delete topics under ${prefixes.join(', ')}: ${(error as Error).message}\n`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Creates the database named in the URL if it does not exist (connects to `postgres` to do so). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
