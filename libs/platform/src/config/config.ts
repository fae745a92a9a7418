import { z } from 'zod';

/**
 * Configuration is read once at start-up and validated against one schema per app. A missing or
 * malformed variable stops the service with a message that names every problem, instead of a
 * failure minutes later on the first request.
 */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`${service}: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig<T extends z.ZodType>(service: string, schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(root)';
      const present = issue.path.length > 0 && env[String(issue.path[0])] !== undefined;
      return `${name}: ${present ? issue.message : 'is required but not set'}`;
    });
    throw new ConfigError(service, problems);
  }
  return result.data;
}

const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL with protocol ${protocols.join(' or ')}`);

const secret = z.string().min(32, 'must be at least 32 characters');

/** Variables every service reads. */
export const CommonConfigSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Shared between the gateway and the services: signs the gateway's proof of authentication. */
  INTERNAL_AUTH_SECRET: secret,
  REDIS_URL: url(['redis:', 'rediss:']),
  /** Key prefix of this deployment in Redis (BullMQ queues, rate limits, replay guard). */
  REDIS_PREFIX: z.string().regex(/^[a-z0-9:_-]*$/).default('settle'),
});

/** Variables of services that own a database schema and talk to Kafka. */
export const BackendConfigSchema = CommonConfigSchema.extend({
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  /** The PostgreSQL schema this service owns; defaults to the service's own. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier')
    .optional(),
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((v) => v.split(',').map((b) => b.trim()).filter(Boolean)),
  KAFKA_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/).default(''),
  /** How often the outbox relay looks for unpublished events when nothing woke it. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  /**
   * Whether answers are checked against their route's declared contract (the OpenAPI document's
   * source): `log` warns about a mismatch, `strict` refuses it with a 500 (the test suites), `off`.
   */
  API_CONTRACT_CHECK: z.enum(['off', 'log', 'strict']).default('log'),
});

export type CommonConfig = z.infer<typeof CommonConfigSchema>;
export type BackendConfig = z.infer<typeof BackendConfigSchema>;

export { secret as SecretSchema, url as urlSchema };
