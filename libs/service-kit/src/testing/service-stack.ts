import { INestApplication } from '@nestjs/common';
import { issueOperatorToken } from '@settle/auth';
import { physicalTopic } from '@settle/contracts';
import { createKafka, decodeEvent, provisionTopics } from '@settle/messaging';
import { ServiceDataSourceOptions, createServiceDataSource, migrate } from '@settle/persistence';
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
  migrateService,
  testInfrastructure,
  testNamespace,
  testSecrets,
  testServiceEnv,
  waitFor,
} from '@settle/testing';
import { DataSource } from 'typeorm';

export type Call = (method: string, path: string, options?: CallOptions) => Promise<ApiResponse>;

/** What the stack needs of a service made by `defineBackendService`. */
export interface StackService<C> {
  definition: { name: string; defaultSchema: string };
  loadConfig(env: NodeJS.ProcessEnv): C;
  dataSourceOptions(config: C): ServiceDataSourceOptions;
  createApp(env: NodeJS.ProcessEnv): Promise<INestApplication>;
}

export interface StackEvent {
  type: string;
  id: string;
  subject?: string;
  data: Json;
}

/**
 * One backend service as its users reach it, for integration tests: fresh schemas on the real
 * PostgreSQL, its own topic prefix on the real Kafka and key prefix in the real Redis; the service
 * under test runs in this process (so a test can read its database and call its providers), the
 * services it needs run as real processes from their sources (`companions`, e.g. customer-service
 * for partners' keys), and the real gateway is in front of all of them. Partner calls are signed
 * with the provider's official SDK signer; operator calls carry an operator token.
 */
export interface ServiceStack {
  gatewayUrl: string;
  /** Operator API with an admin operator token. */
  operator: Call;
  /** Calls through the gateway without credentials. */
  anonymous: Call;
  /** A partner's signed client. */
  partner(credentials: PartnerCredentials): Call;
  /** Creates a partner through the operator API (customer-service) and returns its first credentials. */
  createPartner(input?: Record<string, unknown>): Promise<PartnerCredentials & { partner_id: string }>;
  /**
   * The service under test's schema as its owner sees it (not subject to row-level security): for
   * tests that inspect or arrange rows. The service itself connects as the app role.
   */
  dataSource: DataSource;
  app: INestApplication;
  /** Every CloudEvent published on the probed topics so far, decoded. */
  events(): StackEvent[];
  /** Waits until an event of this definition (or type) matching `where` was published. */
  waitForEvent(event: { type: string } | string, where?: (data: Json) => boolean): Promise<StackEvent>;
  /** The environment the service under test runs with (plus the test namespace). */
  env: NodeJS.ProcessEnv;
  secrets: ReturnType<typeof testSecrets>;
  /** Physical name of a logical topic in this stack (its prefix applied). */
  topic(name: string): string;
  close(): Promise<void>;
}

export interface ServiceStackOptions<C> {
  service: StackService<C>;
  /** Other services started as processes, by app name (their URLs go to the gateway). */
  companions?: string[];
  /** Logical topics whose events `events()` collects. */
  probeTopics: string[];
  /** Extra environment for every process of the stack. */
  env?: NodeJS.ProcessEnv;
}

const urlVariable = (service: string) => `${service.toUpperCase().replace(/-/g, '_')}_URL`;

export async function startServiceStack<C>(options: ServiceStackOptions<C>): Promise<ServiceStack> {
  const infra = await testInfrastructure();
  const ns = testNamespace();
  const secrets = testSecrets();
  const extra = options.env ?? {};
  const envFor = (schema: string) => ({ ...testServiceEnv(infra, ns, secrets, `${ns.schemaPrefix}${schema}`), ...extra });
  const schemas = [options.service.definition.defaultSchema, ...(options.companions ?? []).map((c) => c.replace(/-service$/, ''))];

  const admin = createKafka({ clientId: 'service-stack', brokers: infra.kafkaBrokers, logger: createLogger('test', 'silent') }).admin();
  await admin.connect();
  await provisionTopics(admin, { prefix: ns.topicPrefix });
  await admin.disconnect();

  const env = envFor(options.service.definition.defaultSchema);
  const ownerOptions = options.service.dataSourceOptions(options.service.loadConfig(env));
  await migrate(ownerOptions);
  const ownerDataSource = await createServiceDataSource({ ...ownerOptions, poolSize: 2 }).initialize();
  const app = await options.service.createApp(env);
  await app.listen(0, '127.0.0.1');
  const urls: Record<string, string> = { [urlVariable(options.service.definition.name)]: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}` };

  const companions: ServiceProcess[] = [];
  for (const name of options.companions ?? []) {
    const companionEnv = envFor(name.replace(/-service$/, ''));
    migrateService(name, companionEnv);
    const companion = await new ServiceProcess(name, await freePort(), companionEnv).start();
    companions.push(companion);
    urls[urlVariable(name)] = companion.url;
  }

  const gateway = await new ServiceProcess('gateway', await freePort(), { ...testServiceEnv(infra, ns, secrets), RATE_LIMIT_PER_SECOND: '1000', ...urls, ...extra }).start();
  const probe = await new TopicProbe(infra.kafkaBrokers, options.probeTopics.map((t) => physicalTopic(t, ns.topicPrefix)), `${ns.topicPrefix}probe`).start();
  const client = new GatewayClient(gateway.url);
  const operator = client.operator(issueOperatorToken({ subject: 'test-operator', roles: ['admin'], ttlSeconds: 3600 }, secrets.OPERATOR_TOKEN_SECRET));
  const events = (): StackEvent[] =>
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
    dataSource: ownerDataSource,
    app,
    events,
    waitForEvent: (event, where = () => true) => {
      const type = typeof event === 'string' ? event : event.type;
      return waitFor(() => events().find((e) => e.type === type && where(e.data)), `a ${type} event`, { timeoutMs: 15_000 });
    },
    env,
    secrets,
    topic: (name) => physicalTopic(name, ns.topicPrefix),
    async close() {
      await probe.stop();
      await gateway.stop();
      await Promise.all(companions.map((c) => c.stop()));
      await app.close();
      await ownerDataSource.destroy();
      await dropSchemas(infra.databaseUrl, schemas.map((s) => `${ns.schemaPrefix}${s}`));
    },
  };
}
