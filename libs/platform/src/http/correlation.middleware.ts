import type { NextFunction, Request, Response } from 'express';
import { newCorrelationId, runWithContext, sanitizeCorrelationId } from '../context/request-context';

export const CORRELATION_HEADER = 'x-correlation-id';

/** Gives every request a correlation id (the caller's, if sane) and echoes it back. */
export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  const correlationId =
    sanitizeCorrelationId(req.headers[CORRELATION_HEADER]) ?? sanitizeCorrelationId(req.headers['x-request-id']) ?? newCorrelationId();
  res.setHeader(CORRELATION_HEADER, correlationId);
  runWithContext({ correlationId }, () => next());
}
