import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { currentContext } from '../context/request-context';

export type { Logger } from 'pino';

/**
 * Fields of database errors that quote the data of the statement: TypeORM's `parameters` (every
 * bound value: mobiles, emails, sealed secrets) and PostgreSQL's `detail` ("Key (mobile)=(…)
 * already exists"). An error keeps its message, code, constraint and stack in the log.
 */
const DATA_FIELDS = ['parameters', 'detail', 'where'];

export function errorWithoutData(error: unknown): Record<string, unknown> {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  const strip = (value: unknown, depth: number): unknown => {
    if (depth > 3 || value === null || typeof value !== 'object') return value;
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (!DATA_FIELDS.includes(key)) copy[key] = strip(inner, depth + 1);
    }
    return copy;
  };
  return strip(serialized, 0) as Record<string, unknown>;
}

/**
 * Structured JSON logs, one object per line, with the correlation id and tenant of the work in
 * progress mixed into every line. Secrets and personal data are redacted by path.
 */
export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      serializers: { err: errorWithoutData },
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const ctx = currentContext();
        return ctx ? { correlation_id: ctx.correlationId, ...(ctx.partnerId ? { partner_id: ctx.partnerId } : {}) } : {};
      },
      redact: {
        paths: [
          'secret_key',
          '*.secret_key',
          'secretKey',
          '*.secretKey',
          'password',
          '*.password',
          'authorization',
          '*.authorization',
          'headers.authorization',
          'req.headers.authorization',
          'mobile',
          '*.mobile',
          'email',
          '*.email',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** Routes Nest's own logging into the same JSON stream. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
