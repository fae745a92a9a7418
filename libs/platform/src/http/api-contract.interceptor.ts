import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ApiError, ErrorCodes } from '@settle/contracts';
import type { Request } from 'express';
import { Observable, catchError, map, throwError } from 'rxjs';
import type { z } from 'zod';
import { Logger } from '../logging/logger';
import { ApiRouteSpec, GENERIC_ERROR_CODES, apiRouteOf, isEmptyResponse, isFileResponse } from './api-route';

/**
 * `off`: answers are not checked. `log`: an answer that breaks its route's declared contract is
 * logged (a warning naming the route and the field) and sent as it is. `strict`: it is refused
 * with a 500 that says what broke: the test suites run strict, so every answer a test provokes
 * checks the API document against the code.
 */
export type ApiContractCheck = 'off' | 'log' | 'strict';

/** Thrown (strict) or logged (log) when an answer does not match what its route declares. */
export class ApiContractViolation extends ApiError {
  constructor(route: string, problem: string) {
    super(500, ErrorCodes.Internal, `The answer of ${route} breaks its declared contract: ${problem}`);
  }
}

/**
 * Where `parsed` (the schema's output, unknown keys stripped) lacks a key that `sent` has: a field
 * the answer carries but the document does not describe.
 */
export function undocumentedFields(sent: unknown, parsed: unknown, path = ''): string[] {
  if (Array.isArray(sent) && Array.isArray(parsed)) return sent.flatMap((item, i) => undocumentedFields(item, parsed[i], `${path}[${i}]`));
  if (!isPlainObject(sent) || !isPlainObject(parsed)) return [];
  const out: string[] = [];
  for (const key of Object.keys(sent)) {
    const at = path ? `${path}.${key}` : key;
    if (!(key in parsed)) out.push(at);
    else out.push(...undocumentedFields(sent[key], parsed[key], at));
  }
  return out;
}

/** The first problem of `body` against `schema`, or undefined when it matches exactly. */
export function responseProblem(schema: z.ZodType, body: unknown): string | undefined {
  // What the client receives: Nest serializes with JSON.stringify (dates become strings, undefined fields vanish).
  const wire: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
  const result = schema.safeParse(wire);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    return `${issue.path.join('.') || '(body)'}: ${issue.message}`;
  }
  const extra = undocumentedFields(wire, result.data);
  return extra.length ? `undocumented field${extra.length > 1 ? 's' : ''} ${extra.slice(0, 5).join(', ')}` : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorDeclared(spec: ApiRouteSpec, error: ApiError): boolean {
  if (GENERIC_ERROR_CODES.has(error.errorCode)) return true;
  return (spec.errors ?? []).some((e) => e.code === error.errorCode && e.status === error.status);
}

@Injectable()
export class ApiContractInterceptor implements NestInterceptor {
  constructor(
    private readonly mode: ApiContractCheck,
    private readonly logger: Logger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.mode === 'off' || context.getType() !== 'http' ? undefined : apiRouteOf(context.getHandler());
    if (!spec) return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const route = `${req.method} ${req.route?.path ?? req.path}`;
    return next.handle().pipe(
      map((body: unknown) => {
        const schema = isFileResponse(spec.response) || isEmptyResponse(spec.response) ? undefined : (spec.response as z.ZodType);
        const problem = schema ? responseProblem(schema, body) : isEmptyResponse(spec.response) && body !== undefined && body !== null && body !== '' ? 'a body where none is declared' : undefined;
        if (problem) this.violated(route, problem);
        return body;
      }),
      catchError((error: unknown) => {
        if (error instanceof ApiError && !(error instanceof ApiContractViolation) && !errorDeclared(spec, error)) {
          this.violated(route, `answered ${error.status} ${error.errorCode} ("${error.message}"), which the route does not declare in errors`);
        }
        return throwError(() => error);
      }),
    );
  }

  private violated(route: string, problem: string): void {
    const violation = new ApiContractViolation(route, problem);
    if (this.mode === 'strict') throw violation;
    this.logger.warn({ route, problem }, 'answer breaks its declared contract');
  }
}
