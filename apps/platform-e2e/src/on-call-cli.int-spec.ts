import { issueOperatorToken } from '@settle/auth';
import { ConsumerGroups, Queues, Topics, UsageRecordV1, deadLetterTopicOf, physicalTopic } from '@settle/contracts';
import { createKafka, encodeEvent, provisionTopics } from '@settle/messaging';
import { APP_ROLE } from '@settle/persistence';
import { createLogger } from '@settle/platform';
import {
  GatewayClient,
  Json,
  REPO_ROOT,
  ServiceProcess,
  TopicProbe,
  dropSchemas,
  freePort,
  migrateService,
  testInfrastructure,
  testNamespace,
  testSecrets,
  testServiceEnv,
  waitFor,
} from '@settle/testing';
import { Producer } from 'kafkajs';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * The on-call CLI on the real stack: customer-service, billing-service and the gateway as
 * processes on the real PostgreSQL, Redis and Kafka; `settle` run as on-call runs it, with an
 * operator token. Every scenario waits on facts (a job's state, a record's status, a group's lag).
 */
const ns = testNamespace();
const secrets = testSecrets();
const schemas = { customer: `${ns.schemaPrefix}customer`, billing: `${ns.schemaPrefix}billing` };
let infra: Awaited<ReturnType<typeof testInfrastructure>>;
let customer: ServiceProcess;
let billing: ServiceProcess;
let billingPort: number;
let gateway: ServiceProcess;
let operator: ReturnType<GatewayClient['operator']>;
let producer: Producer;
let db: Client;
let probe: TopicProbe;

const billingEnv = () => testServiceEnv(infra, ns, secrets, schemas.billing);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function settle(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'apps/settle/bin/settle.js'), ...args], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        SETTLE_URL: gateway.url,
        SETTLE_OPERATOR_TOKEN: issueOperatorToken({ subject: 'on-call-test', roles: ['admin'], ttlSeconds: 600 }, secrets.OPERATOR_TOKEN_SECRET),
        OPERATOR_TOKEN_SECRET: secrets.OPERATOR_TOKEN_SECRET,
        KAFKA_BROKERS: infra.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: ns.topicPrefix,
        REDIS_URL: infra.redisUrl,
        REDIS_PREFIX: ns.redisPrefix,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a command that must succeed with `--json`, and returns what it printed. */
async function settleJson<T = Json>(args: string[]): Promise<T> {
  const run = await settle([...args, '--json']);
  if (run.code !== 0) throw new Error(`settle ${args.join(' ')} exited ${run.code}: ${run.stderr}${run.stdout}`);
  return JSON.parse(run.stdout) as T;
}

async function startBilling(): Promise<void> {
  billing = await new ServiceProcess('billing-service', billingPort, billingEnv()).start();
}

let seq = 0;
async function associatedCustomer(partnerId: string): Promise<string> {
  seq += 1;
  const registered = await operator('POST', '/operator/customers', { body: { domain_name: `oncall_${Date.now().toString(36)}_${seq}` } });
  expect(registered.status).toBe(201);
  const customerId = registered.body.customer_id as string;
  const associated = await operator('POST', '/operator/associations', { body: { partner_id: partnerId, customer_id: customerId, association_type: 2, effective_from: '2025-03-01T00:00:00Z' } });
  expect(associated.status).toBe(201);
  await waitFor(async () => {
    const res = await operator('GET', '/operator/billing/customer-ownership', { query: { customer_id: customerId, at: '2025-04-02T00:00:00Z' } });
    return res.status === 200 && res.body.partner_id === partnerId;
  }, 'billing to learn the ownership');
  return customerId;
}

async function partner(): Promise<string> {
  const res = await operator('POST', '/operator/partners', { body: { name: `On-call ${randomUUID().slice(0, 8)}`, kind: 'reseller' } });
  expect(res.status).toBe(201);
  return res.body.partner_id as string;
}

function usage(customerId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1;
  return {
    record_id: `rec-${randomUUID()}`,
    customer_id: customerId,
    service_type_code: 'hws.service.type.ec2',
    resource_type_code: 'hws.resource.type.vm',
    resource_id: `vm-${seq}`,
    region_code: 'cn-north-4',
    usage: '3600',
    usage_measure_id: 4,
    charge_mode: 'on-demand',
    record_type: 'consumption',
    official_amount: '10.00',
    currency: 'CNY',
    occurred_at: '2025-04-10T04:00:00.000Z',
    bill_cycle: '2025-04',
    ...overrides,
  };
}

async function produceUsage(record: Record<string, unknown>): Promise<void> {
  const message = encodeEvent({ id: randomUUID(), type: UsageRecordV1.type, source: '/rating-system', time: new Date().toISOString(), partitionKey: String(record.customer_id), data: record });
  await producer.send({ topic: physicalTopic(Topics.UsageRecords, ns.topicPrefix), acks: -1, messages: [message] });
}

async function usageStatus(recordId: string): Promise<string | undefined> {
  const res = await operator('GET', `/operator/billing/usage-records/${recordId}`);
  return res.status === 200 ? (res.body.status as string) : undefined;
}

/** billing's usage state as its owner sees it: records, rated lines and the inbox. */
async function usageState(): Promise<string> {
  const { rows } = await db.query(
    `SELECT (SELECT md5(coalesce(string_agg(u::text, '|' ORDER BY u.record_id), '')) FROM "${schemas.billing}".usage_records u) AS records,
            (SELECT md5(coalesce(string_agg(l::text, '|' ORDER BY l.id), '')) FROM "${schemas.billing}".rated_lines l) AS lines,
            (SELECT count(*) FROM "${schemas.billing}".processed_events) AS inbox`,
  );
  return JSON.stringify(rows[0]);
}

const usageLag = async () => (await settleJson<Array<{ group: string; state: string; members: number; lag: number }>>(['consumers', 'lag', '--group', ConsumerGroups.BillingUsageIngest]))[0];

beforeAll(async () => {
  infra = await testInfrastructure();
  const kafka = createKafka({ clientId: 'e2e-on-call', brokers: infra.kafkaBrokers, logger: createLogger('e2e', 'silent') });
  const admin = kafka.admin();
  await admin.connect();
  await provisionTopics(admin, { prefix: ns.topicPrefix });
  await admin.disconnect();
  producer = kafka.producer();
  await producer.connect();
  migrateService('customer-service', testServiceEnv(infra, ns, secrets, schemas.customer));
  migrateService('billing-service', billingEnv());
  customer = await new ServiceProcess('customer-service', await freePort(), testServiceEnv(infra, ns, secrets, schemas.customer)).start();
  billingPort = await freePort();
  await startBilling();
  gateway = await new ServiceProcess('gateway', await freePort(), {
    ...testServiceEnv(infra, ns, secrets),
    CUSTOMER_SERVICE_URL: customer.url,
    BILLING_SERVICE_URL: billing.url,
    RATE_LIMIT_PER_SECOND: '1000',
  }).start();
  operator = new GatewayClient(gateway.url).operator(issueOperatorToken({ subject: 'on-call-setup', roles: ['admin'], ttlSeconds: 3600 }, secrets.OPERATOR_TOKEN_SECRET));
  probe = await new TopicProbe(infra.kafkaBrokers, [physicalTopic(Topics.CustomerEvents, ns.topicPrefix)], `${ns.topicPrefix}probe`).start();
  db = new Client({ connectionString: infra.databaseUrl });
  await db.connect();
}, 240_000);

afterAll(async () => {
  await probe?.stop();
  await producer?.disconnect();
  await db?.end();
  await Promise.all([gateway?.stop(), billing?.stop(), customer?.stop()]);
  if (infra) await dropSchemas(infra.databaseUrl, Object.values(schemas));
}, 60_000);

describe('settle queues', () => {
  it('shows a failed bill job with its reason, retries it once the fault is gone, and the bill is generated', async () => {
    const p = await partner();
    const c = await associatedCustomer(p);
    const ingest = await operator('POST', '/operator/billing/usage-records/batch', { body: { records: [usage(c)] } });
    expect(ingest.status).toBe(200);
    expect(ingest.body.error_details).toEqual([]);

    // The fault: billing's role may not write bills, so the partner's bill job fails every attempt.
    await db.query(`REVOKE INSERT, UPDATE ON "${schemas.billing}".bills FROM ${APP_ROLE}`);
    const started = await operator('POST', '/operator/billing/bill-runs', { body: { bill_cycle: '2025-04' } });
    expect(started.status).toBe(202);
    const failed = await waitFor(
      async () => {
        const jobs = await settleJson<Array<{ id: string; name: string; attempts_made: number; attempts: number; failed_reason: string }>>(['queues', 'jobs', Queues.BillGeneration, '--state', 'failed']);
        return jobs.find((j) => j.name === 'bill.generate-partner');
      },
      'the partner bill job to fail its last attempt',
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(failed.attempts_made).toBe(failed.attempts);
    expect(failed.failed_reason).toContain('permission denied');
    const listed = await settleJson<Array<{ queue: string; counts: Record<string, number> }>>(['queues', 'list']);
    expect(listed.map((q) => q.queue).sort()).toEqual(Object.values(Queues).sort());
    expect(listed.find((q) => q.queue === Queues.BillGeneration)!.counts.failed).toBe(1);
    const table = await settle(['queues', 'jobs', Queues.BillGeneration]);
    expect(table.stdout).toMatch(/ID\s+NAME\s+ATTEMPTS\s+AGE\s+REASON/);
    expect(table.stdout).toContain('permission denied');

    // Bulk without --yes and without a terminal: refused, nothing retried.
    const refused = await settle(['queues', 'pause', Queues.BillGeneration]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes');

    await db.query(`GRANT INSERT, UPDATE ON "${schemas.billing}".bills TO ${APP_ROLE}`);
    const retried = await settleJson(['queues', 'retry', Queues.BillGeneration, '--job', failed.id]);
    expect(retried).toEqual({ queue: Queues.BillGeneration, retried: [failed.id] });
    await waitFor(async () => {
      const res = await operator('GET', '/operator/billing/bills', { query: { partner_id: p, bill_cycle: '2025-04' } });
      return res.status === 200 && res.body.total_count === 1;
    }, 'the bill after the retry');
    const run = await settleJson(['bills', 'status', started.body.run_id, '--wait']);
    expect(run).toMatchObject({ run_id: started.body.run_id, status: 'completed', partners_done: 1, partners_failed: 0 });
    expect(await settleJson(['queues', 'jobs', Queues.BillGeneration, '--state', 'failed'])).toEqual([]);
  });
});

describe('settle bills and balances', () => {
  it("runs a cycle's bills and follows the run to its end, and shows a partner's balances", async () => {
    const p = await partner();
    const c = await associatedCustomer(p);
    const ingest = await operator('POST', '/operator/billing/usage-records/batch', { body: { records: [usage(c, { occurred_at: '2025-05-10T04:00:00.000Z', bill_cycle: '2025-05' })] } });
    expect(ingest.body.error_details).toEqual([]);
    const run = await settleJson(['bills', 'run', '--cycle', '2025-05', '--wait']);
    expect(run).toMatchObject({ bill_cycle: '2025-05', status: 'completed', partners_total: 1, partners_done: 1, partners_failed: 0, progress: 100 });
    const bad = await settle(['bills', 'run', '--cycle', '2025-13']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--cycle must be a bill cycle');
    const recharge = await operator('POST', '/operator/billing/accounts/recharge', { body: { partner_id: p, amount: '12.34', request_id: `oncall-${seq}` } });
    expect(recharge.status).toBe(200);
    const balances = await settleJson(['partner', 'balances', '--partner', p]);
    expect(balances.partner_id).toBe(p);
    expect(balances.account_balances).toEqual(expect.arrayContaining([expect.objectContaining({ account_type: 'cash', amount: '12.34', currency: 'CNY' })]));
  });
});

describe('metrics for the on-call signals', () => {
  it("billing's /metrics carries job durations by outcome, queue depth by state, consumer lag and the outbox's oldest age", async () => {
    const scrape = async () => (await fetch(`${billing.url}/metrics`)).text();
    const text = await waitFor(async () => {
      const t = await scrape();
      return /settle_consumer_lag\{[^}]*group="settle\.billing\.customer-ownership"/.test(t) ? t : undefined;
    }, 'the consumer lag gauge of the ownership consumer');
    expect(text).toMatch(/settle_job_duration_seconds_count\{[^}]*queue="billing\.bill-generation",job="bill\.generate-partner",outcome="failed"[^}]*\} [1-9]/);
    expect(text).toMatch(/settle_job_duration_seconds_count\{[^}]*queue="billing\.bill-generation",job="bill\.generate-partner",outcome="completed"[^}]*\} [1-9]/);
    expect(text).toMatch(/settle_queue_jobs\{[^}]*queue="billing\.bill-generation",state="failed"[^}]*\} 0/);
    expect(text).toMatch(/settle_outbox_oldest_pending_age_seconds\{[^}]*\} \d/);
  });
});

describe('settle dead-letters', () => {
  it('lists a usage record the catalog refused, replays it after the catalog is fixed so it is rated, and refuses to replay it twice', async () => {
    const p = await partner();
    const c = await associatedCustomer(p);
    const code = `hws.service.type.oncall${seq}`;
    const record = usage(c, { service_type_code: code });
    await produceUsage(record);
    const dead = await waitFor(async () => {
      const list = await settleJson<Array<Record<string, Json>>>(['dead-letters', 'list', '--topic', Topics.UsageRecords, '--reason', 'rejected', '--partner', c]);
      return list.length ? list : undefined;
    }, 'the record on the dead-letter topic');
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      dead_letter_topic: deadLetterTopicOf(physicalTopic(Topics.UsageRecords, ns.topicPrefix)),
      original_topic: physicalTopic(Topics.UsageRecords, ns.topicPrefix),
      reason: 'rejected',
      consumer_group: ConsumerGroups.BillingUsageIngest,
      event_type: UsageRecordV1.type,
      attempts: 1,
      replayed: null,
    });
    expect(dead[0].error).toContain(`${code} of record ${record.record_id} is not a service type of the catalog`);
    expect(await usageStatus(String(record.record_id))).toBeUndefined();

    const added = await operator('POST', '/operator/billing/service-types', { body: { service_type_code: code, service_type_name: 'On-call', abbreviation: 'ONC' } });
    expect(added.status).toBe(201);
    const dry = await settleJson(['dead-letters', 'replay', '--offset', dead[0].ref, '--dry-run']);
    expect(dry).toMatchObject({ dry_run: true, selected: 1, replayed: [] });
    const replay = await settleJson(['dead-letters', 'replay', '--offset', dead[0].ref]);
    expect(replay.replayed).toHaveLength(1);
    expect(replay.replayed[0].ref).toBe(dead[0].ref);
    await waitFor(async () => (await usageStatus(String(record.record_id))) === 'rated', 'the replayed record to be rated');

    // The original dead letter stays, marked as replayed; a second replay is refused unless --again.
    const after = await settleJson<Array<Record<string, Json>>>(['dead-letters', 'list', '--partner', c]);
    expect(after).toHaveLength(1);
    expect(after[0].replayed).toMatchObject({ by: 'on-call-test' });
    const twice = await settle(['dead-letters', 'replay', '--offset', dead[0].ref, '--json']);
    expect(twice.code).toBe(2);
    expect(JSON.parse(twice.stdout)).toMatchObject({ replayed: [], skipped_already_replayed: [{ ref: dead[0].ref, replayed_by: 'on-call-test' }] });
    const unfiltered = await settle(['dead-letters', 'replay']);
    expect(unfiltered.code).toBe(2);
    expect(unfiltered.stderr).toContain('--offset');
  });
});

describe('settle consumers', () => {
  it('shows the lag of a stopped consumer group, and the lag drains once the service is back', async () => {
    const p = await partner();
    const c = await associatedCustomer(p);
    await waitFor(async () => (await usageLag()).lag === 0, 'usage ingest to be caught up');
    await billing.stop();
    const records = [usage(c), usage(c), usage(c)];
    for (const r of records) await produceUsage(r);
    let last: unknown;
    const stopped = await waitFor(async () => {
      const lag = await usageLag();
      last = lag;
      return lag.lag === records.length ? lag : undefined;
    }, 'the lag of the stopped group').catch((e) => {
      throw new Error(`${e.message}; last ${JSON.stringify(last)}`);
    });
    expect(stopped).toMatchObject({ group: ConsumerGroups.BillingUsageIngest, members: 0, state: 'Empty' });
    const text = await settle(['consumers', 'lag', '--group', ConsumerGroups.BillingUsageIngest]);
    expect(text.stdout).toMatch(new RegExp(`${ConsumerGroups.BillingUsageIngest.replace(/\./g, '\\.')}\\s+Empty\\s+0\\s+3`));

    await startBilling();
    await waitFor(async () => (await usageLag()).lag === 0, 'the lag to drain');
    for (const r of records) expect(await usageStatus(String(r.record_id))).toBe('rated');
  });

  it('re-consumes the usage topic from offset 0 for billing and no state changes', async () => {
    await waitFor(async () => (await usageLag()).lag === 0, 'usage ingest to be caught up');
    const before = await usageState();
    const busy = await settle(['consumers', 'replay', '--group', ConsumerGroups.BillingUsageIngest, '--topic', Topics.UsageRecords, '--from-offset', '0', '--yes']);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain('active member');

    await billing.stop();
    const reset = await settleJson<{ to_read: number }>(['consumers', 'replay', '--group', ConsumerGroups.BillingUsageIngest, '--topic', Topics.UsageRecords, '--from-offset', '0', '--yes']);
    expect(reset.to_read).toBeGreaterThanOrEqual(5);
    expect((await usageLag()).lag).toBe(reset.to_read);
    await startBilling();
    await waitFor(async () => (await usageLag()).lag === 0, 'the replay to be consumed');
    expect(await usageState()).toBe(before);
  });
});

describe('settle outbox', () => {
  it("shows a service's outbox drained, and republishes one event by id (consumers dedupe it)", async () => {
    const p = await partner();
    const status = await waitFor(async () => {
      const [s] = await settleJson<Array<{ service: string; pending: number; stuck: number }>>(['outbox', 'status', '--service', 'customer-service']);
      return s.pending === 0 ? s : undefined;
    }, "customer-service's outbox to drain");
    expect(status).toMatchObject({ service: 'customer-service', pending: 0, stuck: 0 });
    const { rows } = await db.query(`SELECT event_id FROM "${schemas.customer}".outbox WHERE event_type = 'settle.customer.partner.registered.v1' AND data->>'partner_id' = $1`, [p]);
    expect(rows).toHaveLength(1);
    const eventId = rows[0].event_id as string;
    await waitFor(() => probe.messages.some((m) => m.headers.ce_id === eventId), 'the first publication');

    expect(await settleJson(['outbox', 'republish', '--service', 'customer-service', '--event-id', eventId, '--dry-run'])).toMatchObject({ matched: 1, republished: 0, dry_run: true });
    expect(await settleJson(['outbox', 'republish', '--service', 'customer-service', '--event-id', eventId])).toMatchObject({ matched: 1, republished: 1 });
    await waitFor(() => probe.messages.filter((m) => m.headers.ce_id === eventId).length === 2, 'the event published a second time');
    const refused = await settle(['outbox', 'republish', '--service', 'nowhere-service', '--event-id', eventId]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--service must be one of');
  });
});

describe('settle audit', () => {
  it('records who did what: the replay, the retry and the offset reset above', async () => {
    const actions = await settleJson<Array<{ action: string; actor: string }>>(['audit', 'list']);
    const mine = actions.filter((a) => a.actor === 'on-call-test').map((a) => a.action);
    expect(mine).toEqual(expect.arrayContaining(['queue.retry', 'dead-letter.replay', 'consumer-group.reset-offsets']));
  });
});
