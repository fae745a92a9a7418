import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import { BadParameterError, GENERIC_ERRORS } from '@settle/contracts';
import type { z } from 'zod';
import { nulPathOf } from './printable-input.pipe';
import { parseInput } from './validation';

/**
 * A route's contract, declared where the route is: what it reads (`@ValidQuery`, `@ValidParams`,
 * `@ValidBody` parse with exactly the schema they name, and the OpenAPI document is generated from
 * those same schemas), what it answers (`@ApiRoute({ response })`, checked against every answer
 * while API_CONTRACT_CHECK is `strict`, as in the test suites), and which domain error codes it
 * may answer beyond the generic ones every route has.
 */
export const API_ROUTE = 'settle:api-route';
export const API_INPUTS = 'settle:api-inputs';

export type ApiInputPart = 'query' | 'params' | 'body';
export type ApiInputs = Partial<Record<ApiInputPart, z.ZodType>>;

/** A domain error a route answers: its status, its code, and when (for the reader of the API document). */
export interface ApiErrorDeclaration {
  status: number;
  code: string;
  when: string;
}

/** What a route answers on success. */
export type ApiResponse =
  /** A JSON body of this schema (write it without transforms or defaults: it describes what is sent). */
  | z.ZodType
  /** No body (204, or a redirect). */
  | { empty: true; description?: string }
  /** A file or other non-JSON body, of one of these media types. */
  | { file: string[]; description?: string };

export interface ApiRouteSpec {
  /** One line: what the route does, for the API document's summary. */
  summary: string;
  description?: string;
  response: ApiResponse;
  /** Domain error codes beyond the generic ones (GENERIC_ERROR_CODES); an undeclared one fails the contract check. */
  errors?: ApiErrorDeclaration[];
  /** Still served, but replaced by a newer version (see docs/contracts.md). */
  deprecated?: boolean;
}

/** Codes every route may answer without declaring them: the platform's generic failures, as the document lists them. */
export const GENERIC_ERROR_CODES: ReadonlySet<string> = new Set(Object.values(GENERIC_ERRORS).map((e) => e.code));

/** Declares a route's summary, answer and domain errors (see ApiRouteSpec). */
export function ApiRoute(spec: ApiRouteSpec): MethodDecorator {
  return SetMetadata(API_ROUTE, spec);
}

export function apiRouteOf(handler: object): ApiRouteSpec | undefined {
  return Reflect.getMetadata(API_ROUTE, handler) as ApiRouteSpec | undefined;
}

export function apiInputsOf(handler: object): ApiInputs {
  return (Reflect.getMetadata(API_INPUTS, handler) as ApiInputs | undefined) ?? {};
}

export function isFileResponse(response: ApiResponse): response is { file: string[]; description?: string } {
  return typeof response === 'object' && response !== null && 'file' in response && Array.isArray((response as { file?: unknown }).file);
}

export function isEmptyResponse(response: ApiResponse): response is { empty: true; description?: string } {
  return typeof response === 'object' && response !== null && 'empty' in response && (response as { empty?: unknown }).empty === true;
}

function validInput(part: ApiInputPart) {
  return (schema: z.ZodType): ParameterDecorator =>
    (target, key, index) => {
      if (key === undefined) throw new Error(`@Valid${part} decorates a route handler's parameter, not a constructor's`);
      const handler = (target as Record<string | symbol, object>)[key];
      const declared = apiInputsOf(handler);
      if (declared[part]) throw new Error(`${target.constructor.name}.${String(key)} reads its ${part} twice: declare one schema for it`);
      createParamDecorator((_data: unknown, ctx: ExecutionContext) => {
        const input = ctx.switchToHttp().getRequest<Record<ApiInputPart, unknown>>()[part];
        // What PrintableInputPipe does for Nest's own decorators (it leaves custom ones alone): a NUL is a 400, never a 500 from PostgreSQL.
        const at = nulPathOf(input);
        if (at !== undefined) throw new BadParameterError(`Invalid parameter ${at === '(value)' ? part : at}: must not contain a NUL character.`);
        return parseInput(schema, input);
      })()(target, key, index);
      Reflect.defineMetadata(API_INPUTS, { ...declared, [part]: schema }, handler);
    };
}

/** The query string, parsed with this schema (400 CBC.0100 naming the field otherwise); documented from it. */
export const ValidQuery = validInput('query');
/** The path parameters, parsed with this schema; documented from it. */
export const ValidParams = validInput('params');
/** The JSON body, parsed with this schema; documented from it. */
export const ValidBody = validInput('body');
