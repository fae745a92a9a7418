import { INestApplication } from '@nestjs/common';
import { issueOperatorToken } from '@settle/auth';
import { Topics, physicalTopic } from '@settle/contracts';
import { createKafka, decodeEvent, provisionTopics } from '@settle/messaging';
import { migrate } from '@settle/persistence';
import { createLogger } from '@settle/platform';
import {
  ApiResponse,
  CallOptions,
  GatewayClient,
  Json,
  PartnerCredentials,
  ServiceProcess,
  TopicProbe,
  dropSchemas,
  freePort,
  testInfrastructure,
  testNamespace,
  testSecrets,
  testServiceEnv,
  waitFor,
} from '@settle/testing';
import { DataSource } from 'typeorm';
import { CustomerService } from '../customer-service';

type Call = (method: string, path: string, options?: CallOptions) => Promise<ApiResponse>;

/**
 * customer-service as its users reach it, for integration tests: a fresh schema on the real
 * PostgreSQL, its own topics on the real Kafka and prefix in the real Redis, the service running
 * in this process (so a test can read its database), and the real gateway in front of it as a
 * separate process. Partner calls are signed with the provider's official SDK signer.
 */
export interface CustomerStack {
  gatewayUrl: string;
  /** Operator API with an admin operator token. */
  operator: Call;
  /** Anonymous calls through the gateway. */
  anonymous: Call;
  /** A partner's signed client. */
  partner(credentials: PartnerCredentials): Call;
  /** Creates a partner through the operator API and returns its first credentials. */
  createPartner(input?: Record<string, unknown>): Promise<PartnerCredentials & { partner_id: string }>;
  /** customer-service's own datasource (its schema). */
  dataSource: DataSource;
  app: INestApplication;
  /** Every CloudEvent customer-service published so far, decoded. */
  events(): Array<{ type: string; id: string; subject?: string; data: Json }>;
  /** Waits until an event of this definition (or type) matching `where` was published. */
  waitForEvent(event: { type: string } | string, where?: (data: Json) => boolean): Promise<{ type: string; id: string; data: Json }>;
  env: NodeJS.ProcessEnv;
  secrets: ReturnType<typeof testSecrets>;
  close(): Promise<void>;
}

export async function startCustomerStack(extraEnv: NodeJS.ProcessEnv = {}): Promise<CustomerStack> {
  const infra = await testInfrastructure();
  const ns = testNamespace();
  const secrets = testSecrets();
  const schema = `${ns.schemaPrefix}customer`;
  const env: NodeJS.ProcessEnv = { ...testServiceEnv(infra, ns, secrets, schema), ...extraEnv };

  const admin = createKafka({ clientId: 'customer-stack', brokers: infra.kafkaBrokers, logger: createLogger('test', 'silent') }).admin();
  await admin.connect();
  await provisionTopics(admin, { prefix: ns.topicPrefix });
  await admin.disconnect();

  const config = CustomerService.loadConfig(env);
  await migrate(CustomerService.dataSourceOptions(config));
  const app = await CustomerService.createApp(env);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };

  const gatewayPort = await freePort();
  const gateway = await new ServiceProcess('gateway', gatewayPort, {
    ...testServiceEnv(infra, ns, secrets),
    CUSTOMER_SERVICE_URL: `http://127.0.0.1:${address.port}`,
    RATE_LIMIT_PER_SECOND: '1000',
    ...extraEnv,
  }).start();

  const probe = await new TopicProbe(infra.kafkaBrokers, [physicalTopic(Topics.CustomerEvents, ns.topicPrefix)], `${ns.topicPrefix}probe`).start();
  const client = new GatewayClient(gateway.url);
  const operatorToken = issueOperatorToken({ subject: 'test-operator', roles: ['admin'], ttlSeconds: 3600 }, secrets.OPERATOR_TOKEN_SECRET);
  const operator = client.operator(operatorToken);
  const events = () =>
    probe.messages.map((m) => {
      const event = decodeEvent({ key: m.key ? Buffer.from(m.key) : null, value: m.value ? Buffer.from(m.value) : null, headers: m.headers });
      return { type: event.type, id: event.id, subject: event.subject, data: event.data as Json };
    });

  return {
    gatewayUrl: gateway.url,
    operator,
    anonymous: client.operator(),
    partner: (credentials) => client.partner(credentials),
    async createPartner(input = {}) {
      const res = await operator('POST', '/operator/partners', { body: { name: `Partner ${Math.random().toString(36).slice(2, 8)}`, kind: 'reseller', ...input } });
      if (res.status !== 201) throw new Error(`creating a partner answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body;
    },
    dataSource: app.get(DataSource),
    app,
    events,
    waitForEvent: (event, where = () => true) => {
      const type = typeof event === 'string' ? event : event.type;
      return waitFor(() => events().find((e) => e.type === type && where(e.data)), `a ${type} event`, { timeoutMs: 15_000 });
    },
    env,
    secrets,
    async close() {
      await probe.stop();
      await gateway.stop();
      await app.close();
      await dropSchemas(infra.databaseUrl, [schema]);
    },
  };
}
