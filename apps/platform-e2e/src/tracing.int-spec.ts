import { issueOperatorToken } from '@settle/auth';
import { createKafka, provisionTopics } from '@settle/messaging';
import { createLogger } from '@settle/platform';
import { GatewayClient, ServiceProcess, dropSchemas, freePort, migrateService, testInfrastructure, testNamespace, testSecrets, testServiceEnv, waitFor } from '@settle/testing';
import { createServer, Server } from 'node:http';
import { randomUUID } from 'node:crypto';

/**
 * One trace across the platform, on the real stack with OTLP export on: an operator's HTTP
 * request through the gateway to billing, the BullMQ jobs it enqueues (the run's fan-out, the
 * partner's bill), the outbox row the bill writes, its Kafka message and the consumer that reads
 * it. The spans arrive at an OTLP/HTTP receiver the test runs; every one carries the request's
 * trace id.
 */
interface ReceivedSpan {
  service: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  kind: number;
  path?: string;
}

const ns = testNamespace();
const secrets = testSecrets();
const schemas = { customer: `${ns.schemaPrefix}customer`, billing: `${ns.schemaPrefix}billing` };
const spans: ReceivedSpan[] = [];
let receiver: Server;
let infra: Awaited<ReturnType<typeof testInfrastructure>>;
let processes: ServiceProcess[] = [];
let operator: ReturnType<GatewayClient['operator']>;

function collect(body: unknown): void {
  const resources = (body as { resourceSpans?: Array<{ resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> }; scopeSpans?: Array<{ spans?: ReceivedSpan[] }> }> }).resourceSpans ?? [];
  for (const r of resources) {
    const service = r.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
    for (const scope of r.scopeSpans ?? []) {
      for (const s of (scope.spans ?? []) as Array<ReceivedSpan & { attributes?: Array<{ key: string; value: { stringValue?: string } }> }>) {
        const path = s.attributes?.find((a) => a.key === 'url.path' || a.key === 'http.target')?.value.stringValue;
        spans.push({ service, name: s.name, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, kind: s.kind, path });
      }
    }
  }
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        collect(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  const otlpPort = await freePort();
  await new Promise<void>((resolve) => receiver.listen(otlpPort, '127.0.0.1', resolve));
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100' };

  infra = await testInfrastructure();
  const admin = createKafka({ clientId: 'e2e-tracing', brokers: infra.kafkaBrokers, logger: createLogger('e2e', 'silent') }).admin();
  await admin.connect();
  await provisionTopics(admin, { prefix: ns.topicPrefix });
  await admin.disconnect();
  const env = (schema?: string) => ({ ...testServiceEnv(infra, ns, secrets, schema), ...otel });
  migrateService('customer-service', env(schemas.customer));
  migrateService('billing-service', env(schemas.billing));
  const customer = await new ServiceProcess('customer-service', await freePort(), env(schemas.customer)).start();
  const billing = await new ServiceProcess('billing-service', await freePort(), env(schemas.billing)).start();
  const gateway = await new ServiceProcess('gateway', await freePort(), { ...env(), CUSTOMER_SERVICE_URL: customer.url, BILLING_SERVICE_URL: billing.url, RATE_LIMIT_PER_SECOND: '1000' }).start();
  processes = [gateway, billing, customer];
  operator = new GatewayClient(gateway.url).operator(issueOperatorToken({ subject: 'tracing-test', roles: ['admin'], ttlSeconds: 600 }, secrets.OPERATOR_TOKEN_SECRET));
}, 240_000);

afterAll(async () => {
  for (const p of processes) await p.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  if (infra) await dropSchemas(infra.databaseUrl, Object.values(schemas));
}, 60_000);

describe('one trace across HTTP, BullMQ, the outbox and Kafka', () => {
  it('carries the trace id of a bill-run request to its jobs, the event the bill writes and the consumer of that event', async () => {
    const partner = await operator('POST', '/operator/partners', { body: { name: `Traced ${randomUUID().slice(0, 6)}`, kind: 'reseller' } });
    expect(partner.status).toBe(201);
    const registered = await operator('POST', '/operator/customers', { body: { domain_name: `traced_${Date.now().toString(36)}` } });
    const customerId = registered.body.customer_id as string;
    expect((await operator('POST', '/operator/associations', { body: { partner_id: partner.body.partner_id, customer_id: customerId, association_type: 2, effective_from: '2025-03-01T00:00:00Z' } })).status).toBe(201);
    await waitFor(async () => {
      const res = await operator('GET', '/operator/billing/customer-ownership', { query: { customer_id: customerId, at: '2025-04-02T00:00:00Z' } });
      return res.status === 200 && res.body.partner_id === partner.body.partner_id;
    }, 'billing to learn the ownership');
    const record = { record_id: `rec-${randomUUID()}`, customer_id: customerId, service_type_code: 'hws.service.type.ec2', resource_type_code: 'hws.resource.type.vm', resource_id: 'vm-1', region_code: 'cn-north-4', usage: '3600', usage_measure_id: 4, charge_mode: 'on-demand', record_type: 'consumption', official_amount: '10.00', currency: 'CNY', occurred_at: '2025-04-10T04:00:00.000Z', bill_cycle: '2025-04' };
    expect((await operator('POST', '/operator/billing/usage-records/batch', { body: { records: [record] } })).body.error_details).toEqual([]);

    // A closed cycle: its bills are final, and a final bill publishes settle.billing.bill.generated.v1.
    expect((await operator('POST', '/operator/billing/cycles/2025-04/close')).status).toBeLessThan(300);
    const run = await operator('POST', '/operator/billing/bill-runs', { body: { bill_cycle: '2025-04' } });
    expect(run.status).toBe(202);
    // The request's trace: the gateway's server span of this POST is its root.
    const root = await waitFor(() => spans.find((s) => s.service === 'gateway' && s.kind === 2 && !s.parentSpanId && s.path === '/operator/billing/bill-runs'), "the gateway's span of the request");
    const wanted = [
      ['billing-service', 'job billing.bill-generation/bill-run.fan-out'],
      ['billing-service', 'job billing.bill-generation/bill.generate-partner'],
      ['billing-service', 'publish settle.billing.bill.generated.v1'],
      ['billing-service', 'consume settle.billing.bill.generated.v1'],
    ];
    const trace = await waitFor(() => {
      const mine = spans.filter((s) => s.traceId === root.traceId);
      return wanted.every(([service, name]) => mine.some((s) => s.service === service && s.name === name)) ? mine : undefined;
    }, `the jobs, the publication and the consumption in trace ${root.traceId}`, { timeoutMs: 30_000 }).catch((error: Error) => {
      const seen = [...new Set(spans.map((s) => `${s.traceId === root.traceId ? 'this trace' : s.traceId.slice(0, 8)}: ${s.service} ${s.name}`))];
      throw new Error(`${error.message}; spans seen:\n${seen.join('\n')}`);
    });
    // billing's HTTP server span sits under the gateway's, and every span's parent is in the trace.
    expect(trace.some((s) => s.service === 'billing-service' && s.kind === 2)).toBe(true);
    const ids = new Set(trace.map((s) => s.spanId));
    expect(trace.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId)).map((s) => `${s.service} ${s.name}`)).toEqual([]);
  });
});
