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
