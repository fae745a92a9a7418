import { issueOperatorToken, signRequest } from '@settle/auth';
import { TopicDefinitions, Topics, deadLetterTopicOf, physicalTopic } from '@settle/contracts';
import { createKafka, provisionTopics } from '@settle/messaging';
import { createLogger } from '@settle/platform';
import { ServiceProcess, TestSecrets, dropSchemas, freePort, migrateService, testSecrets, testServiceEnv, uniqueSuffix } from '@settle/testing';
import { Redis } from 'ioredis';
import { Consumer, Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';

export interface PartnerKeys {
  partner_id: string;
  access_key: string;
  secret_key: string;
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The platform under test, as `npm run up` runs it but isolated for one run: customer-service,
 * billing-service and the gateway as their own processes on the real PostgreSQL, Redis and
 * Kafka, in fresh schemas, behind a fresh topic prefix, consumer groups and Redis prefix.
 */
export class BenchPlatform {
  readonly runId = uniqueSuffix();
  readonly schemaPrefix = `b_${this.runId}_`;
  readonly topicPrefix = `bench.${this.runId}.`;
  readonly redisPrefix = `bench-${this.runId}`;
  readonly billingSchema = `${this.schemaPrefix}billing`;
  readonly customerSchema = `${this.schemaPrefix}customer`;
  readonly secrets: TestSecrets = testSecrets();
  readonly kafka: Kafka;
  readonly db: Pool;
  customer?: ServiceProcess;
  billing?: ServiceProcess;
  gateway?: ServiceProcess;
  private billingPort = 0;
  private operatorToken = '';
  private readonly memory = new Map<string, number>();
  private sampler?: NodeJS.Timeout;
  private deadLetterReader?: Consumer;
  /** Usage records billing dead-lettered in this run (none is expected: every record of the data set is valid). */
  readonly deadLetters = { count: 0, first: '' };

  constructor(
    readonly infra: { databaseUrl: string; redisUrl: string; kafkaBrokers: string[] },
    private readonly logLevel: string,
  ) {
    this.kafka = createKafka({ clientId: `bench-${this.runId}`, brokers: infra.kafkaBrokers, logger: createLogger('bench', 'silent') });
    this.db = new Pool({ connectionString: infra.databaseUrl, max: 4 });
  }

  topic(name: string): string {
    return physicalTopic(name, this.topicPrefix);
  }

  private env(schema?: string): NodeJS.ProcessEnv {
    const ns = { schemaPrefix: this.schemaPrefix, topicPrefix: this.topicPrefix, redisPrefix: this.redisPrefix };
    return { ...testServiceEnv(this.infra, ns, this.secrets, schema), LOG_LEVEL: this.logLevel };
  }

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    await provisionTopics(admin, { prefix: this.topicPrefix });
    await admin.disconnect();
    migrateService('customer-service', this.env(this.customerSchema));
    migrateService('billing-service', this.env(this.billingSchema));
    this.billingPort = await freePort();
    this.customer = new ServiceProcess('customer-service', await freePort(), this.env(this.customerSchema));
    this.billing = new ServiceProcess('billing-service', this.billingPort, this.env(this.billingSchema));
    await Promise.all([this.customer.start(), this.billing.start()]);
    this.gateway = await new ServiceProcess('gateway', await freePort(), {
      ...this.env(),
      CUSTOMER_SERVICE_URL: this.customer.url,
      BILLING_SERVICE_URL: this.billing.url,
      // The bench creates its data set through the operator API (one operator, tens of thousands
      // of calls) and measures throughput, not throttling: the per-key limit is set out of the way.
      RATE_LIMIT_PER_SECOND: '100000',
    }).start();
    await this.watchDeadLetters();
    this.operatorToken = issueOperatorToken({ subject: 'bench', roles: ['admin'], ttlSeconds: 24 * 3600 }, this.secrets.OPERATOR_TOKEN_SECRET);
    this.sampler = setInterval(() => this.sampleMemory(), 500);
    this.sampler.unref();
  }

  private async watchDeadLetters(): Promise<void> {
    const reader = this.kafka.consumer({ groupId: `${this.topicPrefix}bench-dead-letters` });
    await reader.connect();
    await reader.subscribe({ topic: deadLetterTopicOf(this.topic(Topics.UsageRecords)), fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        this.deadLetters.count += 1;
        const header = (name: string) => String(message.headers?.[name] ?? '');
        this.deadLetters.first ||= `${header('x-dlt-reason')}: ${header('x-dlt-error')}`;
      },
    });
    this.deadLetterReader = reader;
  }

  get gatewayUrl(): string {
    if (!this.gateway) throw new Error('the platform is not started');
    return this.gateway.url;
  }

  /** SIGTERM to billing-service (the consumers leave their group, in-flight work finishes). */
  async stopBilling(): Promise<void> {
    this.sampleMemory();
    await this.billing?.stop(60_000);
  }

  /** Starts billing-service again on its port (the gateway keeps its URL); resolves when it answers ready. */
  async startBilling(onSpawned?: () => void): Promise<void> {
    this.billing = new ServiceProcess('billing-service', this.billingPort, this.env(this.billingSchema));
    const ready = this.billing.start();
    onSpawned?.();
    await ready;
  }

  /** Peak resident set size seen per service so far (VmHWM: the kernel's own high-water mark). */
  sampleMemory(): void {
    for (const process of [this.customer, this.billing, this.gateway]) {
      const pid = process?.pid;
      if (!process || !pid) continue;
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kib = Math.max(...['VmHWM', 'VmRSS'].map((field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0)));
        this.memory.set(process.service, Math.max(this.memory.get(process.service) ?? 0, kib * 1024));
      } catch {
        // The process ended between the check and the read: its last sample stands.
      }
    }
  }

  peakMemoryBytes(): Record<string, number> {
    this.sampleMemory();
    return Object.fromEntries(this.memory);
  }

  async operator(method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${this.gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.operatorToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  /** Headers of a partner call signed SDK-HMAC-SHA256 (every header signed, a fresh correlation id so no two signatures repeat). */
  signedHeaders(keys: PartnerKeys, method: string, path: string, body = ''): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', host: new URL(this.gatewayUrl).host, 'x-correlation-id': randomUUID() };
    return { ...headers, ...signRequest({ method, url: path, headers, body }, { accessKey: keys.access_key, secretKey: keys.secret_key }) };
  }

  async partner(keys: PartnerKeys, method: string, path: string, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const response = await fetch(`${this.gatewayUrl}${path}`, { method, headers: this.signedHeaders(keys, method, path, payload), body: payload || undefined });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  /** Stops every process, then (unless kept) drops the run's schemas, topics and Redis keys. */
  async close(keep: boolean): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    await this.deadLetterReader?.disconnect().catch(() => undefined);
    await Promise.allSettled([this.gateway?.stop(), this.billing?.stop(), this.customer?.stop()]);
    if (!keep) {
      await dropSchemas(this.infra.databaseUrl, [this.billingSchema, this.customerSchema]).catch((e: Error) => console.error(`dropping the run's schemas: ${e.message}`));
      await this.deleteTopics().catch((e: Error) => console.error(`deleting the run's topics: ${e.message}`));
      await this.deleteRedisKeys().catch((e: Error) => console.error(`deleting the run's Redis keys: ${e.message}`));
    }
    await this.db.end();
  }

  private async deleteTopics(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const topics = TopicDefinitions.flatMap((t) => [this.topic(t.name), deadLetterTopicOf(this.topic(t.name))]);
      const existing = new Set(await admin.listTopics());
      await admin.deleteTopics({ topics: topics.filter((t) => existing.has(t)), timeout: 30_000 });
    } finally {
      await admin.disconnect();
    }
  }

  private async deleteRedisKeys(): Promise<void> {
    const redis = new Redis(this.infra.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
    await redis.connect();
    try {
      let cursor = '0';
      for (let i = 0; i < 100_000; i++) {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.redisPrefix}*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
        if (cursor === '0') break;
      }
    } finally {
      redis.disconnect();
    }
  }
}

/** Runs `work` over `items` with at most `concurrency` in flight; the first failure stops the rest. */
export async function inParallel<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index], index);
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failed !== undefined) throw failed;
  return results;
}
