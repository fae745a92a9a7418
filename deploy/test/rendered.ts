import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** What the deployment tests read: the rendered overlays, the apps, and two helper processes. */
export const repoRoot = join(__dirname, '..', '..');
export const OVERLAYS = ['local', 'production'] as const;
export type Overlay = (typeof OVERLAYS)[number];

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // Objects are checked structurally; the schemas are checked by validate-objects.mjs.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** Every deployable app (as the compose test finds them): a folder under apps/ with src/main.ts, but the CLI. */
export function deployableApps(): string[] {
  return readdirSync(join(repoRoot, 'apps'))
    .filter((name) => name !== 'settle' && existsSync(join(repoRoot, 'apps', name, 'src', 'main.ts')))
    .sort();
}

/**
 * The backend services among the apps, read from the code: those whose `src/<app>.ts` defines the
 * service with `defineBackendService` (a database schema, migrations, Kafka consumers, the outbox).
 * Every other deployable app (the gateway, the queue dashboard) is HTTP-only: Redis, no database,
 * no Kafka, no migration.
 */
export function backendApps(): string[] {
  return deployableApps().filter((app) => {
    const definition = join(repoRoot, 'apps', app, 'src', `${app}.ts`);
    return existsSync(definition) && /\bdefineBackendService\s*\(/.test(readFileSync(definition, 'utf8'));
  });
}

/** Deployable apps that are not backend services (see backendApps). */
export function httpOnlyApps(): string[] {
  const backends = new Set(backendApps());
  return deployableApps().filter((app) => !backends.has(app));
}

/** `kubectl kustomize deploy/k8s/overlays/<overlay>` (KUBECTL names another binary, e.g. kubectl 1.20). */
export function render(overlay: Overlay): K8sObject[] {
  const kubectl = process.env.KUBECTL ?? 'kubectl';
  let text: string;
  try {
    text = execFileSync(kubectl, ['kustomize', join(repoRoot, 'deploy', 'k8s', 'overlays', overlay)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${kubectl} not found: bash scripts/test.sh installs it (apt-get install kubernetes-client), or set KUBECTL`);
    throw new Error(`kubectl kustomize deploy/k8s/overlays/${overlay} failed:\n${e.stderr ?? e.message}`);
  }
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length) throw new Error(`rendered ${overlay} is not YAML: ${doc.errors[0]!.message}`);
    return doc.toJS() as K8sObject;
  });
}

export interface ValidationResult {
  kind: string;
  name: string;
  errors: string[];
}

/** Each object against its Kubernetes or Strimzi JSON schema, offline (see validate-objects.mjs for why a process). */
export function validateObjects(objects: K8sObject[]): ValidationResult[] {
  const run = spawnSync(process.execPath, [join(__dirname, 'validate-objects.mjs')], {
    cwd: repoRoot,
    input: JSON.stringify(objects),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`validate-objects.mjs failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as ValidationResult[];
}

export interface ConfigProbe {
  required: string[];
  variables: string[];
  problems: string[];
}

/** Each app's own configuration schema, and what it says of the given environment (app-config-probe.ts). */
export function probeConfigs(envs: Record<string, Record<string, string>>): Record<string, ConfigProbe> {
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'app-config-probe.ts')], {
    cwd: repoRoot,
    input: JSON.stringify(envs),
    encoding: 'utf8',
    env: { ...process.env, SWC_NODE_PROJECT: join(repoRoot, 'tsconfig.json') },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`app-config-probe.ts failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, ConfigProbe>;
}

export const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
export const named = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

/** A generated ConfigMap or Secret is named `<name>-<hash>`; its references were rewritten to that. */
export function generated(objects: K8sObject[], kind: 'ConfigMap' | 'Secret', reference: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === reference);
}
