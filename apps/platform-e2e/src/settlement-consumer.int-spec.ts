import { issueOperatorToken } from '@settle/auth';
import { IncentivePayoutReleasedV1, Topics, physicalTopic } from '@settle/contracts';
import { createKafka, encodeEvent, provisionTopics } from '@settle/messaging';
import { createLogger } from '@settle/platform';
import {
  GatewayClient,
  REPO_ROOT,
  ReceivedMessage,
  ServiceProcess,
  StopWaiting,
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
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

/**
 * The example integrator (examples/settlement-consumer: kafkajs + Ajv, no Settle library) against
 * the real platform: customer-service, billing-service and the gateway as processes on the real
 * PostgreSQL, Redis and Kafka. A scenario makes billing publish settlement events (a final bill
 * of a closed cycle and what follows it), an incentive payout returned to the recharge account
 * arrives twice under one `ce_id`, and a bill event is delivered a second time byte for byte; the
 * example must have seen every event of the settlement topics exactly once, all valid against the
 * published JSON Schemas, and its ledger must match the events and billing's own balance.
 */
const ns = testNamespace();
const secrets = testSecrets();
const schemas = { customer: `${ns.schemaPrefix}customer`, billing: `${ns.schemaPrefix}billing` };
const settlementTopics = [Topics.BillingEvents, Topics.IncentiveEvents, Topics.InvoiceEvents, Topics.MarketplaceEvents].map((t) => physicalTopic(t, ns.topicPrefix));
let infra: Awaited<ReturnType<typeof testInfrastructure>>;
let customer: ServiceProcess;
let billing: ServiceProcess;
let gateway: ServiceProcess;
let operator: ReturnType<GatewayClient['operator']>;
let producer: Producer;
let probe: TopicProbe;
let example: ChildProcess;
let exampleUrl: string;
let exampleLog = '';

interface ExampleState {
  ready: boolean;
  received: number;
  valid: number;
  duplicates: number;
  duplicate_ids: string[];
  invalid: unknown[];
  malformed: number;
  unknown_types: Record<string, number>;
  events: { ce_id: string; type: string; topic: string; partner_id?: string }[];
  ledger: { partner_id: string; currency: string; billed: string; incentive_released: string; split_settled: string; events: number }[];
}

async function exampleState(): Promise<ExampleState> {
  return (await (await fetch(`${exampleUrl}/state`)).json()) as ExampleState;
}

beforeAll(async () => {
  infra = await testInfrastructure();
  const kafka = createKafka({ clientId: 'e2e-settlement-consumer', brokers: infra.kafkaBrokers, logger: createLogger('e2e', 'silent') });
  const admin = kafka.admin();
  await admin.connect();
  await provisionTopics(admin, { prefix: ns.topicPrefix });
  await admin.disconnect();
  producer = kafka.producer();
  await producer.connect();
  migrateService('customer-service', testServiceEnv(infra, ns, secrets, schemas.customer));
  migrateService('billing-service', testServiceEnv(infra, ns, secrets, schemas.billing));
  customer = await new ServiceProcess('customer-service', await freePort(), testServiceEnv(infra, ns, secrets, schemas.customer)).start();
  billing = await new ServiceProcess('billing-service', await freePort(), testServiceEnv(infra, ns, secrets, schemas.billing)).start();
  gateway = await new ServiceProcess('gateway', await freePort(), {
    ...testServiceEnv(infra, ns, secrets),
    CUSTOMER_SERVICE_URL: customer.url,
    BILLING_SERVICE_URL: billing.url,
    RATE_LIMIT_PER_SECOND: '1000',
  }).start();
  operator = new GatewayClient(gateway.url).operator(issueOperatorToken({ subject: 'integrator-test', roles: ['admin'], ttlSeconds: 3600 }, secrets.OPERATOR_TOKEN_SECRET));
  probe = await new TopicProbe(infra.kafkaBrokers, settlementTopics, `${ns.topicPrefix}probe`).start();

  // The integrator as one runs it: its own process, its own consumer group, only the broker and the schema files.
  const port = await freePort();
  exampleUrl = `http://127.0.0.1:${port}`;
  example = spawn(process.execPath, ['-r', '@swc-node/register', join('examples', 'settlement-consumer', 'src', 'main.ts')], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, KAFKA_BROKERS: infra.kafkaBrokers.join(','), KAFKA_TOPIC_PREFIX: ns.topicPrefix, GROUP_ID: `${ns.topicPrefix}example.settlement-consumer`, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  example.stdout?.on('data', (c) => (exampleLog += c));
  example.stderr?.on('data', (c) => (exampleLog += c));
  await waitFor(
    async () => {
      if (example.exitCode !== null) throw new StopWaiting(`the example consumer exited ${example.exitCode}: ${exampleLog}`);
      return (await fetch(`${exampleUrl}/health`).catch(() => undefined))?.status === 200;
    },
    'the example consumer to join its group',
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}, 240_000);

afterAll(async () => {
  if (example && example.exitCode === null) {
    const exited = new Promise((resolve) => example.once('exit', resolve));
    example.kill('SIGTERM');
    await exited;
  }
  await probe?.stop();
  await producer?.disconnect();
  await Promise.all([gateway?.stop(), billing?.stop(), customer?.stop()]);
  if (infra) await dropSchemas(infra.databaseUrl, Object.values(schemas));
}, 60_000);

describe('the example settlement consumer', () => {
  it('sees every settlement event of a scenario once, valid against the published schemas, and keeps a ledger that matches', async () => {
    // A partner with one customer whose April usage makes a final bill (the cycle is closed).
    const registered = await operator('POST', '/operator/partners', { body: { name: `Integrator ${randomUUID().slice(0, 8)}`, kind: 'reseller' } });
    expect(registered.status).toBe(201);
    const partnerId = registered.body.partner_id as string;
    const created = await operator('POST', '/operator/customers', { body: { domain_name: `integrator_${Date.now().toString(36)}` } });
    expect(created.status).toBe(201);
    const customerId = created.body.customer_id as string;
    const associated = await operator('POST', '/operator/associations', { body: { partner_id: partnerId, customer_id: customerId, association_type: 2, effective_from: '2025-03-01T00:00:00Z' } });
    expect(associated.status).toBe(201);
    await waitFor(async () => {
      const res = await operator('GET', '/operator/billing/customer-ownership', { query: { customer_id: customerId, at: '2025-04-02T00:00:00Z' } });
      return res.status === 200 && res.body.partner_id === partnerId;
    }, 'billing to learn the ownership');
    const usage = (amount: string, hour: number) => ({
      record_id: `rec-${randomUUID()}`,
      customer_id: customerId,
      service_type_code: 'hws.service.type.ec2',
      resource_type_code: 'hws.resource.type.vm',
      resource_id: `vm-${hour}`,
      region_code: 'cn-north-4',
      usage: '3600',
      usage_measure_id: 4,
      charge_mode: 'on-demand',
      record_type: 'consumption',
      official_amount: amount,
      currency: 'CNY',
      occurred_at: `2025-04-10T${String(hour).padStart(2, '0')}:00:00.000Z`,
      bill_cycle: '2025-04',
    });
    const ingest = await operator('POST', '/operator/billing/usage-records/batch', { body: { records: [usage('10.00', 4), usage('2.50', 5)] } });
    expect(ingest.status).toBe(200);
    expect(ingest.body.error_details).toEqual([]);
    expect((await operator('POST', '/operator/billing/cycles/2025-04/close')).status).toBe(200);
    const run = await operator('POST', '/operator/billing/bill-runs', { body: { bill_cycle: '2025-04' } });
    expect(run.status).toBe(202);
    const billEvent = await waitFor(
      () => probe.messages.find((m) => m.headers.ce_type === 'settle.billing.bill.generated.v1' && JSON.parse(m.value ?? '{}').partner_id === partnerId),
      'billing to publish the final bill',
      { timeoutMs: 60_000, intervalMs: 250 },
    );

    // An incentive payout returned to the recharge account (as incentive-service publishes it), delivered twice.
    const payoutEventId = randomUUID();
    const payout = encodeEvent({
      id: payoutEventId,
      type: IncentivePayoutReleasedV1.type,
      source: '/settle/incentive-service',
      time: new Date().toISOString(),
      partitionKey: partnerId,
      subject: `po-${payoutEventId.slice(0, 8)}`,
      data: { payout_id: `po-${payoutEventId.slice(0, 8)}`, partner_id: partnerId, period: '2025-04', method: 'recharge-account', amount: '25.50', currency: 'CNY', released_at: new Date().toISOString() },
    });
    await producer.send({ topic: physicalTopic(Topics.IncentiveEvents, ns.topicPrefix), acks: -1, messages: [payout] });
    await producer.send({ topic: physicalTopic(Topics.IncentiveEvents, ns.topicPrefix), acks: -1, messages: [payout] });
    // …and the platform's bill event a second time, byte for byte (what an outbox relay re-publish looks like).
    await producer.send({ topic: billEvent.topic, acks: -1, messages: [{ key: billEvent.key, value: billEvent.value ?? null, headers: billEvent.headers }] });

    // Billing dedupes too: the payout is credited once.
    await waitFor(async () => {
      const res = await operator('GET', '/operator/billing/accounts', { query: { partner_id: partnerId } });
      return res.status === 200 && (res.body.account_balances as { account_type: string; amount: string }[]).some((a) => a.account_type === 'cash' && a.amount === '25.50');
    }, 'billing to credit the payout', { timeoutMs: 60_000, intervalMs: 250 });

    // Every message on the settlement topics reached the example: it has read as many as the probe.
    const distinct = (messages: ReceivedMessage[]) => [...new Set(messages.map((m) => m.headers.ce_id))].sort();
    const payoutSeen = () => probe.messages.filter((m) => m.headers.ce_id === payoutEventId).length === 2;
    await waitFor(payoutSeen, 'the probe to see both payout deliveries');
    const state = await waitFor(
      async () => {
        const s = await exampleState();
        return s.received === probe.messages.length && s.duplicate_ids.length >= 2 ? s : undefined;
      },
      'the example to read every message the probe read',
      { timeoutMs: 60_000, intervalMs: 250 },
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}; probe read ${probe.messages.length}, the example: ${JSON.stringify(await exampleState())}`);
    });

    expect(state.invalid).toEqual([]);
    expect(state.malformed).toBe(0);
    expect(state.unknown_types).toEqual({});
    // Each event once: the distinct ce_ids on the topics are exactly the events it applied.
    const applied = state.events.map((e) => e.ce_id);
    expect(new Set(applied).size).toBe(applied.length);
    expect([...applied].sort()).toEqual(distinct(probe.messages));
    expect(state.valid).toBe(applied.length);
    expect(state.duplicates).toBe(probe.messages.length - applied.length);
    expect([...state.duplicate_ids].sort()).toEqual([billEvent.headers.ce_id, payoutEventId].sort());
    const mine = state.events.filter((e) => e.partner_id === partnerId).map((e) => e.type);
    expect(mine).toEqual(expect.arrayContaining(['settle.billing.bill.generated.v1', 'settle.incentive.payout-released.v1']));

    // The ledger: the bill's amount due and the payout, each counted once.
    const bill = JSON.parse(billEvent.value ?? '{}') as { amount_due: string; currency: string };
    expect(bill.currency).toBe('CNY');
    expect(state.ledger.find((r) => r.partner_id === partnerId && r.currency === 'CNY')).toMatchObject({
      billed: bill.amount_due,
      incentive_released: '25.50',
      split_settled: '0.00',
      events: 2,
    });
  }, 180_000);
});
