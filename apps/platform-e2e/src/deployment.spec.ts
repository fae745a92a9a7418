import { BackendConfigSchema, loadConfig } from '@settle/platform';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * docker-compose.yml cannot run on machines without a Docker engine, so this keeps it honest by
 * reading: it must agree with the no-Docker path (deploy/kafka/kafka.sh, scripts/up.sh) that the
 * rest of the suite exercises for real.
 */
const root = join(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

type ComposeService = { image?: string; environment?: Record<string, string | number>; depends_on?: Record<string, unknown> };

/** Compose's own interpolation, for the forms the file uses: ${X:?message} and ${X:-default}. */
function interpolate(value: string, secrets: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_]+)(?::([?-])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
    if (secrets[name] !== undefined) return secrets[name];
    if (kind === '-') return rest ?? '';
    throw new Error(`docker-compose.yml needs ${name} and no value was given`);
  });
}

const secrets = {
  INTERNAL_AUTH_SECRET: 'i'.repeat(48),
  OPERATOR_TOKEN_SECRET: 'o'.repeat(48),
  CREDENTIALS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const envOf = (service: string): Record<string, string> =>
  Object.fromEntries(Object.entries(compose.services[service]?.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), secrets)]));

const kafkaScript = read('deploy/kafka/kafka.sh');
const brokerProperties = Object.fromEntries(
  (kafkaScript.match(/<<CONF\n([\s\S]*?)\nCONF/)?.[1] ?? '')
    .split('\n')
    .filter((line) => line && !line.startsWith('#') && !line.includes('$'))
    .map((line) => line.split('=', 2) as [string, string]),
);

const upScript = read('scripts/up.sh');
const localPorts = Object.fromEntries([...upScript.matchAll(/^start ([a-z-]+) (\d+)$/gm)].map((m) => [m[1], m[2]]));
const apps = readdirSync(join(root, 'apps')).filter((name) => name !== 'settle' && existsSync(join(root, 'apps', name, 'src', 'main.ts')));
/** Backends (a database, Kafka, migrations) define their service with defineBackendService; the gateway and the queue dashboard are HTTP-only. */
const backends = apps.filter((name) => {
  const definition = join(root, 'apps', name, 'src', `${name}.ts`);
  return existsSync(definition) && /\bdefineBackendService\s*\(/.test(readFileSync(definition, 'utf8'));
});

describe('docker-compose.yml stays in step with the no-Docker path', () => {
  it('runs the same Kafka version with the same broker settings as deploy/kafka/kafka.sh', () => {
    const version = kafkaScript.match(/^KAFKA_VERSION=(\S+)$/m)?.[1];
    expect(compose.services.kafka?.image).toBe(`apache/kafka:${version}`);
    expect(Object.keys(brokerProperties).length).toBeGreaterThan(10);
    const kafkaEnv = envOf('kafka');
    for (const [key, value] of Object.entries(brokerProperties)) {
      const variable = `KAFKA_${key.toUpperCase().replace(/\./g, '_')}`;
      expect({ [variable]: kafkaEnv[variable] }).toEqual({ [variable]: value });
    }
  });

  it('runs every app with the port it has on this machine', () => {
    expect(apps.sort()).toEqual(['billing-service', 'customer-service', 'gateway', 'incentive-service', 'invoice-service', 'marketplace-service', 'queue-dashboard']);
    expect(backends.sort()).toEqual(['billing-service', 'customer-service', 'incentive-service', 'invoice-service', 'marketplace-service']);
    for (const app of apps) {
      expect({ app, SERVICE: envOf(app).SERVICE, PORT: envOf(app).PORT }).toEqual({ app, SERVICE: app, PORT: localPorts[app] });
    }
  });

  it('gives every backend a configuration that passes its validation, after migrations ran', () => {
    for (const app of backends) {
      expect(() => loadConfig(app, BackendConfigSchema, envOf(app))).not.toThrow();
      expect(envOf(app).HOST).toBe('0.0.0.0');
      expect(compose.services[app]?.depends_on).toHaveProperty('setup');
    }
    expect(String(compose.services.setup?.['command' as keyof ComposeService])).toContain('scripts/migrate.sh');
  });

  it('routes the gateway to every backend by its compose name and port', () => {
    const gateway = envOf('gateway');
    for (const app of backends) {
      const variable = `${app.toUpperCase().replace(/-/g, '_')}_URL`;
      expect({ [variable]: gateway[variable] }).toEqual({ [variable]: `http://${app}:${localPorts[app]}` });
    }
  });

  it('sets every variable the local configuration sets, somewhere', () => {
    const envFile = upScript.match(/<<CONF\n([\s\S]*?)\nCONF/)?.[1] ?? '';
    const localVariables = [...envFile.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]).filter((name) => name !== 'SETTLE_URL');
    expect(localVariables).toEqual(expect.arrayContaining(['DATABASE_URL', 'KAFKA_BROKERS', 'CREDENTIALS_ENCRYPTION_KEY']));
    const composed = new Set(Object.keys(compose.services).flatMap((name) => Object.keys(envOf(name))));
    expect(localVariables.filter((name) => !composed.has(name))).toEqual([]);
  });
});
