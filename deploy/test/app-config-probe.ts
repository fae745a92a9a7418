/**
 * Reads each app's own configuration schema and validates an environment against it, in a process
 * of its own (manifests.spec.ts runs it with `node -r @swc-node/register`): the deployment test
 * drives the apps' code from outside, as the end-to-end suites drive the services, rather than
 * importing one app into another project.
 *
 * stdin: {"<app>": {"VAR": "value", …}, …}
 * stdout: {"<app>": {"required": [...], "variables": [...], "problems": [...]}, …}
 *
 * A backend's schema is its `defineBackendService` definition's `configSchema` (exported from
 * apps/<app>/src/<app>.ts), validated with the service's own `loadConfig` (which adds its default
 * PORT and schema); an app without one (the gateway) exports a `…ConfigSchema` from src/config.ts.
 */
import 'reflect-metadata';
import { loadConfig } from '@settle/platform';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';

type Schema = z.ZodType & { shape?: Record<string, z.ZodType> };
interface Probe {
  schema: Schema;
  load: (env: NodeJS.ProcessEnv) => unknown;
}

const root = join(__dirname, '..', '..');

function probeOf(app: string): Probe {
  const definitionFile = join(root, 'apps', app, 'src', `${app}.ts`);
  if (existsSync(definitionFile)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(definitionFile) as Record<string, unknown>;
    for (const value of Object.values(exported)) {
      const service = value as { definition?: { configSchema?: Schema }; loadConfig?: (env: NodeJS.ProcessEnv) => unknown };
      if (service?.definition?.configSchema && typeof service.loadConfig === 'function') {
        return { schema: service.definition.configSchema, load: (env) => service.loadConfig!(env) };
      }
    }
  }
  const configFile = join(root, 'apps', app, 'src', 'config.ts');
  if (existsSync(configFile)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(configFile) as Record<string, unknown>;
    const entry = Object.entries(exported).find(([name, value]) => name.endsWith('ConfigSchema') && typeof (value as Schema)?.safeParse === 'function');
    if (entry) {
      const schema = entry[1] as Schema;
      return { schema, load: (env) => loadConfig(app, schema, env) };
    }
  }
  throw new Error(`${app}: found no configuration schema (a defineBackendService export in src/${app}.ts, or a …ConfigSchema in src/config.ts)`);
}

function main(): void {
  const input = JSON.parse(readFileSync(0, 'utf8')) as Record<string, Record<string, string>>;
  const output: Record<string, { required: string[]; variables: string[]; problems: string[] }> = {};
  for (const [app, env] of Object.entries(input)) {
    const { schema, load } = probeOf(app);
    const shape = schema.shape ?? {};
    const variables = Object.keys(shape).sort();
    // Required: the schema refuses it missing (no default, not optional).
    const required = variables.filter((name) => !shape[name]!.safeParse(undefined).success);
    let problems: string[] = [];
    try {
      load(env);
    } catch (error) {
      const listed = (error as { problems?: string[] }).problems;
      problems = Array.isArray(listed) ? listed : [String((error as Error).message ?? error)];
    }
    output[app] = { required, variables, problems };
  }
  process.stdout.write(JSON.stringify(output));
}

main();
