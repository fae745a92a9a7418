import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { currentContext } from '../context/request-context';

export type { Logger } from 'pino';

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
