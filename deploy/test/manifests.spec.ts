import { ConsumerGroups, TopicDefinitions } from '@settle/contracts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { topicSpecs } from '../tools/generate-kafka-topics';
import { metricCatalog } from './metric-catalog';
import { ConfigProbe, K8sObject, OVERLAYS, Overlay, ValidationResult, backendApps, byKind, deployableApps, httpOnlyApps, named, probeConfigs, render, repoRoot, validateObjects } from './rendered';

/**
 * Renders every overlay with `kubectl kustomize`, validates each object against the Kubernetes and
 * Strimzi schemas offline, and checks what a schema cannot: each app is deployed whole (probes on
 * the real health paths, limits, a non-root user, its Service, budget, autoscaler, migration Job)
 * with the configuration its own schema requires, and Kafka carries the contracts' topics.
 */

/** Variables the image itself reads (deploy/docker/service.Dockerfile), not the app's schema. */
const IMAGE_VARIABLES = ['SERVICE', 'SERVICE_HEAP_MB'];

/**
 * Values for secret keys in an overlay that renders no Secret (production: an external one), so the
 * apps' schemas can validate the rest. Test values only.
 */
const TEST_SECRET_VALUES: Record<string, string> = {
  DATABASE_URL: 'postgres://settle_owner:test-only@postgres.example:5432/settle',
  REDIS_URL: 'redis://redis.example:6379',
  INTERNAL_AUTH_SECRET: 'i'.repeat(48),
  OPERATOR_TOKEN_SECRET: 'o'.repeat(48),
  CREDENTIALS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Container = any;

const apps = deployableApps();
/** Backends (a database, Kafka, migrations) are read from the code; the rest are HTTP-only apps. */
const backends = backendApps();
const httpOnly = httpOnlyApps();
const isBackend = (app: string) => backends.includes(app);
/**
 * HTTP-only apps that serve operators, not partners: fewer replicas in production, and never
 * exposed publicly (a ClusterIP Service behind an internal ingress or the VPN).
 */
const OPERATOR_TOOLS = ['queue-dashboard'];
/** Consumer groups are named settle.<domain>.<purpose>; billing-service's domain is billing. */
const groupsOf = (app: string) => Object.values(ConsumerGroups).filter((g) => g.startsWith(`settle.${app.replace(/-service$/, '')}.`)).sort();
const maxPartitions = Math.max(...TopicDefinitions.map((t) => t.partitions));

function decode(secret: K8sObject, key: string): string | undefined {
  if (secret.stringData?.[key] !== undefined) return secret.stringData[key];
  const data = secret.data?.[key];
  return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
}

/** A container's environment as the kubelet builds it: envFrom first, env over it. */
function resolveEnv(objects: K8sObject[], container: Container, overlay: Overlay): { env: Record<string, string>; problems: string[] } {
  const env: Record<string, string> = {};
  const problems: string[] = [];
  const fromSecret = (name: string, key: string, optional: boolean) => {
    const secret = named(objects, 'Secret', name);
    if (secret) {
      const value = decode(secret, key);
      if (value === undefined && !optional) problems.push(`${container.name}: Secret ${name} has no key ${key}`);
      return value;
    }
    if (overlay === 'local') {
      problems.push(`${container.name}: Secret ${name} is not rendered`);
      return undefined;
    }
    // An external Secret: the test stands in for it.
    if (TEST_SECRET_VALUES[key] === undefined && !optional) problems.push(`${container.name}: no test value for secret key ${key}`);
    return TEST_SECRET_VALUES[key];
  };
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      const map = named(objects, 'ConfigMap', source.configMapRef.name);
      if (!map) problems.push(`${container.name}: ConfigMap ${source.configMapRef.name} is not rendered`);
      Object.assign(env, map?.data ?? {});
    } else if (source.secretRef) {
      problems.push(`${container.name}: envFrom secretRef hides which keys it needs; name each key with secretKeyRef`);
    }
  }
  for (const variable of container.env ?? []) {
    let value: string | undefined;
    if (variable.value !== undefined) value = String(variable.value);
    else if (variable.valueFrom?.secretKeyRef) {
      const ref = variable.valueFrom.secretKeyRef;
      value = fromSecret(ref.name, ref.key, ref.optional === true);
    } else if (variable.valueFrom?.configMapKeyRef) {
      const ref = variable.valueFrom.configMapKeyRef;
      value = named(objects, 'ConfigMap', ref.name)?.data?.[ref.key];
      if (value === undefined && ref.optional !== true) problems.push(`${container.name}: ConfigMap ${ref.name} has no key ${ref.key}`);
    } else problems.push(`${container.name}: ${variable.name} has a source this test does not resolve`);
    if (value !== undefined) env[variable.name] = value;
  }
  return { env, problems };
}

/** Kubernetes quantities of memory, in MiB. */
function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi|M|G)?$/.exec(String(quantity));
  if (!match) throw new Error(`memory quantity ${quantity} is not in Mi/Gi`);
  const n = Number(match[1]);
  return { Mi: n, Gi: n * 1024, M: (n * 1e6) / 2 ** 20, G: (n * 1e9) / 2 ** 20, undefined: n / 2 ** 20 }[String(match[2])]!;
}

const appContainer = (deployment: K8sObject): Container => deployment.spec.template.spec.containers.find((c: Container) => c.name === deployment.metadata.name);

describe.each(OVERLAYS)('deploy/k8s/overlays/%s', (overlay) => {
  let objects: K8sObject[];
  let validation: ValidationResult[];
  let envs: Record<string, { env: Record<string, string>; problems: string[] }>;
  let probes: Record<string, ConfigProbe>;

  beforeAll(() => {
    objects = render(overlay);
    validation = validateObjects(objects);
    envs = {};
    for (const app of apps) {
      const deployment = named(objects, 'Deployment', app);
      if (deployment) envs[app] = resolveEnv(objects, appContainer(deployment), overlay);
    }
    // Every app's schema, deployed or not (one without a Deployment fails the checks below).
    probes = probeConfigs(Object.fromEntries(apps.map((app) => [app, envs[app]?.env ?? {}])));
  }, 120_000);

  it('classifies the apps from the code: backends define a backend service and migrate, HTTP-only apps know no database or Kafka', () => {
    expect(backends.length).toBeGreaterThan(0);
    expect([...backends, ...httpOnly].sort()).toEqual(apps);
    expect(httpOnly).toEqual(expect.arrayContaining(['gateway', ...OPERATOR_TOOLS]));
    for (const app of backends) {
      expect({ app, migrate: existsSync(join(repoRoot, 'apps', app, 'src', 'migrate.ts')) }).toEqual({ app, migrate: true });
      expect({ app, database: probes[app]?.variables.includes('DATABASE_URL'), kafka: probes[app]?.variables.includes('KAFKA_BROKERS') }).toEqual({ app, database: true, kafka: true });
    }
    for (const app of httpOnly) {
      expect({ app, database: probes[app]?.variables.includes('DATABASE_URL'), kafka: probes[app]?.variables.includes('KAFKA_BROKERS') }).toEqual({ app, database: false, kafka: false });
      expect({ app, groups: groupsOf(app) }).toEqual({ app, groups: [] });
    }
  });

  it('renders objects that each pass their Kubernetes or Strimzi schema (no unknown kind)', () => {
    expect(objects.length).toBeGreaterThan(40);
    expect(validation.map((r) => `${r.kind} ${r.name}`)).toEqual(objects.map((o) => `${o.apiVersion}/${o.kind} ${o.metadata.name}`));
    expect(validation.filter((r) => r.errors.length > 0)).toEqual([]);
  });

  it('deploys every app from the one image, with probes on the health paths, limits, a non-root user and a grace period', () => {
    expect(byKind(objects, 'Deployment').filter((d) => d.metadata.labels?.['app.kubernetes.io/part-of'] === 'settle').map((d) => d.metadata.name).sort()).toEqual(apps);
    const images = new Set<string>();
    for (const app of apps) {
      const deployment = named(objects, 'Deployment', app)!;
      const pod = deployment.spec.template.spec;
      const container = appContainer(deployment);
      expect({ app, container: container?.name }).toEqual({ app, container: app });
      images.add(container.image);
      const env = envs[app]!.env;
      expect({ app, SERVICE: env.SERVICE }).toEqual({ app, SERVICE: app });
      expect(existsSync(join(repoRoot, 'apps', env.SERVICE!, 'src', 'main.ts'))).toBe(true);
      const http = container.ports.find((p: Container) => p.name === 'http');
      expect({ app, PORT: env.PORT }).toEqual({ app, PORT: String(http?.containerPort) });
      for (const [probe, path] of [['readinessProbe', '/health/ready'], ['livenessProbe', '/health/live']] as const) {
        expect({ app, probe, path: container[probe]?.httpGet?.path, port: container[probe]?.httpGet?.port }).toEqual({ app, probe, path, port: 'http' });
      }
      for (const bound of ['requests', 'limits']) {
        expect({ app, bound, cpu: !!container.resources?.[bound]?.cpu, memory: !!container.resources?.[bound]?.memory }).toEqual({ app, bound, cpu: true, memory: true });
      }
      expect({ app, nonRoot: pod.securityContext?.runAsNonRoot ?? container.securityContext?.runAsNonRoot }).toEqual({ app, nonRoot: true });
      expect({ app, uid: pod.securityContext?.runAsUser ?? container.securityContext?.runAsUser }).not.toEqual({ app, uid: 0 });
      expect({ app, escalation: container.securityContext?.allowPrivilegeEscalation }).toEqual({ app, escalation: false });
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
    }
    expect(images.size).toBe(1);
    for (const job of byKind(objects, 'Job')) expect(job.spec.template.spec.containers.map((c: Container) => c.image)).toEqual([...images]);
  });

  it('bounds V8 old space (SERVICE_HEAP_MB) at about 60 % of each memory limit', () => {
    for (const app of apps) {
      const container = appContainer(named(objects, 'Deployment', app)!);
      const ratio = Number(envs[app]!.env.SERVICE_HEAP_MB) / mebibytes(container.resources.limits.memory);
      expect({ app, ratio: Math.round(ratio * 100) / 100, sized: ratio >= 0.55 && ratio <= 0.65 }).toEqual({ app, ratio: expect.any(Number), sized: true });
    }
  });

  it('names the metrics port and annotates it for Prometheus scraping', () => {
    for (const app of apps) {
      const deployment = named(objects, 'Deployment', app)!;
      const annotations = deployment.spec.template.metadata.annotations ?? {};
      const container = appContainer(deployment);
      // /metrics is on the app's own port, unless its schema has a METRICS_PORT (the gateway,
      // whose public port answers /metrics with 404): then on that listener only.
      const ownListener = probes[app]!.variables.includes('METRICS_PORT');
      const metricsPort = ownListener ? 'metrics' : 'http';
      const port = container.ports.find((p: Container) => p.name === metricsPort);
      expect({ app, scrape: annotations['prometheus.io/scrape'], port: annotations['prometheus.io/port'], path: annotations['prometheus.io/path'] }).toEqual({
        app,
        scrape: 'true',
        port: String(port?.containerPort),
        path: '/metrics',
      });
      if (ownListener) expect({ app, METRICS_PORT: envs[app]!.env.METRICS_PORT, METRICS_HOST: envs[app]!.env.METRICS_HOST }).toEqual({ app, METRICS_PORT: String(port.containerPort), METRICS_HOST: '0.0.0.0' });
    }
  });

  it("gives every app the variables its own configuration schema requires, a configuration it accepts, and no variable it does not know", () => {
    expect(Object.keys(probes).sort()).toEqual(apps);
    for (const app of apps) {
      const { env, problems } = envs[app]!;
      const probe = probes[app]!;
      expect(probe.required).toEqual(expect.arrayContaining(['PORT', 'REDIS_URL', 'INTERNAL_AUTH_SECRET']));
      expect({ app, unresolved: problems }).toEqual({ app, unresolved: [] });
      expect({ app, missing: probe.required.filter((name) => env[name] === undefined) }).toEqual({ app, missing: [] });
      expect({ app, refused: probe.problems }).toEqual({ app, refused: [] });
      const known = new Set([...probe.variables, ...IMAGE_VARIABLES]);
      expect({ app, unknown: Object.keys(env).filter((name) => !known.has(name)) }).toEqual({ app, unknown: [] });
      expect({ app, HOST: env.HOST }).toEqual({ app, HOST: '0.0.0.0' });
    }
  });

  it('exposes each app with a Service on its port, and routes the gateway to them', () => {
    for (const app of apps) {
      const service = named(objects, 'Service', app)!;
      const deployment = named(objects, 'Deployment', app)!;
      expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
      expect({ app, port: service.spec.ports.find((p: Container) => p.name === 'http')?.port }).toEqual({ app, port: Number(envs[app]!.env.PORT) });
    }
    const gateway = envs.gateway!.env;
    for (const app of backends) {
      const variable = `${app.toUpperCase().replace(/-/g, '_')}_URL`;
      const url = new URL(gateway[variable]!);
      const service = named(objects, 'Service', url.hostname);
      expect({ variable, service: service?.metadata.name, port: service?.spec.ports[0].port }).toEqual({ variable, service: app, port: Number(url.port) });
    }
  });

  it('guards every app with a PodDisruptionBudget over its pods', () => {
    for (const app of apps) {
      const budget = named(objects, 'PodDisruptionBudget', app);
      expect({ app, selector: budget?.spec.selector.matchLabels }).toEqual({ app, selector: named(objects, 'Deployment', app)!.spec.selector.matchLabels });
      expect({ app, bounded: budget?.spec.minAvailable !== undefined || budget?.spec.maxUnavailable !== undefined }).toEqual({ app, bounded: true });
    }
  });

  it('autoscales every app; a consumer by the lag of all its consumer groups, and CPU', async () => {
    const { series } = await metricCatalog();
    for (const app of apps) {
      const hpa = named(objects, 'HorizontalPodAutoscaler', app);
      expect({ app, apiVersion: hpa?.apiVersion, target: hpa?.spec.scaleTargetRef }).toEqual({ app, apiVersion: 'autoscaling/v2', target: { apiVersion: 'apps/v1', kind: 'Deployment', name: app } });
      const metrics: Container[] = hpa!.spec.metrics;
      expect(metrics.some((m) => m.type === 'Resource' && m.resource.name === 'cpu')).toBe(true);
      const lag = metrics.filter((m) => m.type === 'External');
      if (overlay === 'local' || !isBackend(app)) {
        if (overlay === 'local') expect({ app, max: hpa!.spec.maxReplicas }).toEqual({ app, max: 1 });
        // An HTTP-only app consumes no topic: CPU alone.
        if (!isBackend(app)) expect({ app, metrics: metrics.map((m) => `${m.type}/${m.resource?.name}`) }).toEqual({ app, metrics: ['Resource/cpu'] });
        continue;
      }
      expect(lag).toHaveLength(1);
      expect(series.has(lag[0].external.metric.name)).toBe(true);
      expect(lag[0].external.metric.name).toBe('settle_consumer_lag');
      const groups = lag[0].external.metric.selector.matchExpressions.find((e: Container) => e.key === 'group' && e.operator === 'In')?.values ?? [];
      expect({ app, groups: [...groups].sort() }).toEqual({ app, groups: groupsOf(app) });
      expect(groupsOf(app).length).toBeGreaterThan(0);
      // Past the largest partition count a replica gets no partition of any group.
      expect(hpa!.spec.maxReplicas).toBeLessThanOrEqual(maxPartitions);
    }
  });

  it('keeps the operator tools off the public network, with a Secure session cookie where served over HTTPS', () => {
    for (const app of OPERATOR_TOOLS) {
      const service = named(objects, 'Service', app)!;
      expect({ app, type: service.spec.type ?? 'ClusterIP' }).toEqual({ app, type: 'ClusterIP' });
      expect({ app, container: appContainer(named(objects, 'Deployment', app)!).ports.map((p: Container) => p.hostPort).filter(Boolean) }).toEqual({ app, container: [] });
    }
    const routed = byKind(objects, 'Ingress').flatMap((i) => JSON.stringify(i.spec).match(/"name":"[a-z-]+"/g) ?? []);
    for (const app of OPERATOR_TOOLS) expect(routed).not.toContain(`"name":"${app}"`);
    expect({ overlay, DASHBOARD_SECURE_COOKIE: envs['queue-dashboard']!.env.DASHBOARD_SECURE_COOKIE }).toEqual({ overlay, DASHBOARD_SECURE_COOKIE: overlay === 'production' ? 'true' : 'false' });
  });

  it('migrates each backend with a Job of its own, run before the rollout, as the Deployment connects', () => {
    expect(byKind(objects, 'Job').map((j) => j.metadata.name).sort()).toEqual(backends.map((app) => `${app}-migrate`));
    for (const app of backends) {
      const job = named(objects, 'Job', `${app}-migrate`)!;
      const [container] = job.spec.template.spec.containers;
      expect(container.command).toEqual(['node', '-r', '@swc-node/register', `apps/${app}/src/migrate.ts`]);
      expect(existsSync(join(repoRoot, 'apps', app, 'src', 'migrate.ts'))).toBe(true);
      expect(job.spec.template.spec.restartPolicy).toBe('Never');
      expect(job.metadata.labels?.['app.kubernetes.io/component']).toBe('migration');
      expect(job.metadata.annotations?.['argocd.argoproj.io/hook']).toBe('PreSync');
      const jobDatabase = container.env.find((v: Container) => v.name === 'DATABASE_URL').valueFrom.secretKeyRef;
      const appDatabase = appContainer(named(objects, 'Deployment', app)!).env.find((v: Container) => v.name === 'DATABASE_URL').valueFrom.secretKeyRef;
      expect(jobDatabase).toEqual(appDatabase);
      expect(job.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    }
  });

  it('runs Kafka as a KRaft Strimzi cluster carrying every topic of the contracts and its dead-letter topic', () => {
    const [kafka, ...others] = byKind(objects, 'Kafka');
    expect(others).toEqual([]);
    expect(kafka!.metadata.annotations).toMatchObject({ 'strimzi.io/kraft': 'enabled', 'strimzi.io/node-pools': 'enabled' });
    expect(kafka!.spec.zookeeper).toBeUndefined();
    expect(kafka!.spec.kafka.config['auto.create.topics.enable']).toBe(false);
    const pools = byKind(objects, 'KafkaNodePool');
    for (const pool of pools) expect(pool.metadata.labels?.['strimzi.io/cluster']).toBe(kafka!.metadata.name);
    const count = (role: string) => pools.filter((p) => p.spec.roles.includes(role)).reduce((n, p) => n + p.spec.replicas, 0);
    const brokers = count('broker');
    expect({ brokers, controllers: count('controller') }).toEqual(overlay === 'production' ? { brokers: 3, controllers: 3 } : { brokers: 1, controllers: 1 });
    expect(kafka!.spec.kafka.config['default.replication.factor']).toBe(brokers);
    expect(kafka!.spec.kafka.config['offsets.topic.replication.factor']).toBe(brokers);
    const bootstrap = `${kafka!.metadata.name}-kafka-bootstrap:${kafka!.spec.kafka.listeners.find((l: Container) => l.tls === false).port}`;
    for (const app of backends) expect({ app, KAFKA_BROKERS: envs[app]!.env.KAFKA_BROKERS, prefix: envs[app]!.env.KAFKA_TOPIC_PREFIX }).toEqual({ app, KAFKA_BROKERS: bootstrap, prefix: '' });

    const topics = byKind(objects, 'KafkaTopic');
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(topics.map((t) => ({ name: t.spec.topicName, partitions: t.spec.partitions, retentionMs: t.spec.config['retention.ms'] })).sort(byName)).toEqual(
      topicSpecs().map((t) => ({ name: t.name, partitions: t.partitions, retentionMs: t.retentionMs })).sort(byName),
    );
    expect(topics.filter((t) => t.spec.topicName.endsWith('.dlt'))).toHaveLength(TopicDefinitions.length);
    for (const topic of topics) {
      expect({ topic: topic.metadata.name, cluster: topic.metadata.labels?.['strimzi.io/cluster'], replicas: topic.spec.replicas }).toEqual({ topic: topic.metadata.name, cluster: kafka!.metadata.name, replicas: brokers });
      // One broker may be down without refusing writes, where there is more than one.
      expect(topic.spec.config['min.insync.replicas']).toBe(brokers > 1 ? brokers - 1 : 1);
    }
  });

  if (overlay === 'production') {
    it('runs N replicas with budgets that keep two serving (one of an operator tool), and references its Secret without rendering one', () => {
      for (const app of apps) {
        const hpa = named(objects, 'HorizontalPodAutoscaler', app)!;
        const budget = named(objects, 'PodDisruptionBudget', app)!;
        // An operator tool runs two, and keeps one through a drain; every other app three and two.
        const tool = OPERATOR_TOOLS.includes(app);
        expect({ app, min: hpa.spec.minReplicas >= (tool ? 2 : 3), max: hpa.spec.maxReplicas > hpa.spec.minReplicas }).toEqual({ app, min: true, max: true });
        expect({ app, minAvailable: budget.spec.minAvailable, maxUnavailable: budget.spec.maxUnavailable }).toEqual({ app, minAvailable: tool ? 1 : 2, maxUnavailable: undefined });
        expect(budget.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
        expect(named(objects, 'Deployment', app)!.spec.replicas).toBeUndefined();
      }
      expect(byKind(objects, 'Secret')).toEqual([]);
      const references = new Set(byKind(objects, 'Deployment').flatMap((d) => d.spec.template.spec.containers.flatMap((c: Container) => (c.env ?? []).map((v: Container) => v.valueFrom?.secretKeyRef?.name).filter(Boolean))));
      expect([...references]).toEqual(['settle-secrets']);
      expect(appContainer(named(objects, 'Deployment', 'gateway')!).image).toMatch(/^[^:]+\/settle\/service:\d+\.\d+\.\d+$/);
      const exports = named(objects, 'PersistentVolumeClaim', 'billing-exports')!;
      expect(exports.spec.accessModes).toEqual(['ReadWriteMany']);
    });
  } else {
    it('runs one replica of each app, with placeholder secrets only', () => {
      const [secret, ...others] = byKind(objects, 'Secret');
      expect(others).toEqual([]);
      expect(secret!.metadata.name).toMatch(/^settle-secrets-[a-z0-9]+$/);
      for (const key of ['INTERNAL_AUTH_SECRET', 'OPERATOR_TOKEN_SECRET']) expect(decode(secret!, key)).toContain('placeholder-not-a-secret');
      expect(Buffer.from(decode(secret!, 'CREDENTIALS_ENCRYPTION_KEY')!, 'base64')).toEqual(Buffer.alloc(32));
      for (const app of apps) expect({ app, replicas: named(objects, 'Deployment', app)!.spec.replicas }).toEqual({ app, replicas: 1 });
    });
  }
});
