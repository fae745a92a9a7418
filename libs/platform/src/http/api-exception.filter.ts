import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { ApiError, ErrorCodes } from '@settle/contracts';
import type { Request, Response } from 'express';
import { ZodError } from 'zod';
import { currentCorrelationId } from '../context/request-context';
import { Logger } from '../logging/logger';
import { LOGGER } from '../tokens';
import { describeZodError } from './validation';

/**
 * The one place where failures become HTTP answers in the partner API's error shape. Client
 * mistakes get a 4xx with a code and a message that says what is wrong; anything unexpected
 * is logged in full and answered with a 500 that carries only a reference id.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const { status, body } = this.toResponse(exception, request);
    if (status >= 500) {
      this.logger.error({ err: exception, method: request.method, path: request.path }, 'request failed');
    } else {
      this.logger.info({ method: request.method, path: request.path, status, error_code: body.error_code }, body.error_msg);
    }
    if (status === 429 && (exception as { retryAfterSeconds?: number }).retryAfterSeconds) {
      response.setHeader('Retry-After', String((exception as { retryAfterSeconds: number }).retryAfterSeconds));
    }
    if (!response.headersSent) response.status(status).json(body);
  }

  private toResponse(exception: unknown, request: Request): { status: number; body: { error_code: string; error_msg: string } } {
    if (exception instanceof ApiError) return { status: exception.status, body: exception.toBody() };
    if (exception instanceof ZodError) {
      return { status: 400, body: { error_code: ErrorCodes.BadParameter, error_msg: describeZodError(exception) } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) {
        return { status, body: { error_code: ErrorCodes.NotFound, error_msg: `No such resource: ${request.method} ${request.path}` } };
      }
      if (status < 500) {
        // Body-parser and routing failures: malformed JSON, payload too large, unsupported media.
        return { status, body: { error_code: ErrorCodes.BadParameter, error_msg: clientMessage(exception) } };
      }
    }
    const reference = currentCorrelationId();
    return {
      status: 500,
      body: { error_code: ErrorCodes.Internal, error_msg: `Internal error${reference ? `; reference ${reference}` : ''}.` },
    };
  }
}

function clientMessage(exception: HttpException): string {
  const cause = exception.cause as { type?: string } | undefined;
  if (exception.getStatus() === 400 && (exception.message.includes('JSON') || cause?.type === 'entity.parse.failed')) {
    return 'Request body is not valid JSON.';
  }
  return exception.message.endsWith('.') ? exception.message : `${exception.message}.`;
}
