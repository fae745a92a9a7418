import { ApiErrorBodySchema, GENERIC_ERRORS, OpenApiDocument, SECURITY_SCHEMES, securityOf } from '@settle/contracts';
import { ApiErrorDeclaration, isEmptyResponse, isFileResponse } from '@settle/platform';
import type { z } from 'zod';
import { ZodOpenApiOperationObject, ZodOpenApiPathsObject, ZodOpenApiResponsesObject, createDocument } from 'zod-openapi';
import { RouteDeclaration } from '../route-table';

/**
 * A service's own OpenAPI 3.1 document, generated from its routes' declarations: the schemas
 * `@ValidQuery`/`@ValidParams`/`@ValidBody` validate with, the `@ApiRoute` answer schema, the
 * generic and declared errors, and who may call (security scheme, permissions). Only partner and
 * operator routes are documented: health, metrics and service-to-service routes are not the API.
 * The gateway composes the services' documents (libs/contracts `composeOpenApi`).
 */
export function serviceOpenApi(service: string, version: string, routes: RouteDeclaration[]): OpenApiDocument {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    if (route.access !== 'partner' && route.access !== 'operator') continue;
    if (!route.spec) throw new Error(`${route.handler} (${route.method} ${route.path}) has no @ApiRoute: every partner and operator route declares its answer`);
    const template = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const item = (paths[template] ??= {}) as Record<string, ZodOpenApiOperationObject>;
    item[route.method.toLowerCase()] = operationOf(service, route);
  }
  const document = createDocument(
    {
      openapi: '3.1.0',
      info: { title: `Settle ${service}`, version },
      paths,
      components: { schemas: { ErrorResponse: ApiErrorBodySchema }, securitySchemes: SECURITY_SCHEMES as never },
    },
    {
      // Only schemas with an id (`.meta({ id })`) become components: generated names would change with the order of routes.
      reused: 'inline',
      override: (ctx) => {
        // Answers are open: fields are only ever added (docs/contracts.md), so a client must not refuse an unknown one.
        if (ctx.io === 'output' && (ctx.jsonSchema as { additionalProperties?: unknown }).additionalProperties === false) delete (ctx.jsonSchema as { additionalProperties?: unknown }).additionalProperties;
      },
    },
  );
  return JSON.parse(JSON.stringify(document)) as OpenApiDocument;
}

function operationOf(service: string, route: RouteDeclaration): ZodOpenApiOperationObject {
  const spec = route.spec!;
  const audience = route.access as 'partner' | 'operator';
  const [controller, handler] = route.handler.split('.');
  const who =
    audience === 'partner'
      ? route.permissions.length
        ? `Partner members with the ${route.permissions.map((p) => `\`${p}\``).join(' or ')} permission.`
        : 'Any member of the partner.'
      : route.operatorRoles.length
        ? `Operators with the role ${route.operatorRoles.join(' or ')}.`
        : 'Operators.';
  const description = [spec.description, `**Who may call:** ${who}`].filter(Boolean).join('\n\n');
  const operation: ZodOpenApiOperationObject & Record<string, unknown> = {
    operationId: `${service.replace(/-service$/, '')}.${controller!.replace(/Controller$/, '')}.${handler}`,
    summary: spec.summary,
    description,
    tags: [service],
    security: securityOf(audience),
    responses: responsesOf(route),
    'x-settle-audience': audience,
    'x-settle-permissions': route.permissions,
  };
  if (spec.deprecated) operation.deprecated = true;
  const requestParams: NonNullable<ZodOpenApiOperationObject['requestParams']> = {};
  if (route.inputs.query) requestParams.query = route.inputs.query as never;
  if (route.inputs.params) requestParams.path = route.inputs.params as never;
  if (Object.keys(requestParams).length) operation.requestParams = requestParams;
  if (route.inputs.body) {
    // Optional when the schema itself accepts no body (e.g. `z.preprocess((b) => b ?? {}, …)`).
    const required = !route.inputs.body.safeParse(undefined).success;
    operation.requestBody = { required, content: { 'application/json': { schema: route.inputs.body as z.ZodType } } };
  }
  return operation;
}

function responsesOf(route: RouteDeclaration): ZodOpenApiResponsesObject {
  const spec = route.spec!;
  const responses: ZodOpenApiResponsesObject = {};
  const answer = spec.response;
  if (isEmptyResponse(answer)) {
    responses[String(route.status) as '200'] = { description: answer.description ?? 'Done; no body.' };
  } else if (isFileResponse(answer)) {
    responses[String(route.status) as '200'] = {
      description: answer.description ?? 'The file.',
      content: Object.fromEntries(answer.file.map((media) => [media, { schema: { type: 'string', contentMediaType: media } }])),
    };
  } else {
    responses[String(route.status) as '200'] = { description: spec.summary, content: { 'application/json': { schema: answer as z.ZodType } } };
  }

  const errors: ApiErrorDeclaration[] = [];
  const generic = (status: keyof typeof GENERIC_ERRORS) => errors.push({ status, ...GENERIC_ERRORS[status] });
  if (route.inputs.query || route.inputs.params || route.inputs.body) generic(400);
  generic(401);
  generic(403);
  if (route.inputs.params || (spec.errors ?? []).some((e) => e.status === 404)) generic(404);
  if (route.access === 'partner') generic(429);
  generic(500);
  errors.push(...(spec.errors ?? []));

  const byStatus = new Map<number, ApiErrorDeclaration[]>();
  for (const e of errors) byStatus.set(e.status, [...(byStatus.get(e.status) ?? []).filter((x) => x.code !== e.code), e]);
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status) as '400'] = {
      description: list.map((e) => `\`${e.code}\`: ${e.when}`).join('; '),
      content: {
        'application/json': {
          schema: { allOf: [{ $ref: '#/components/schemas/ErrorResponse' }, { type: 'object', properties: { error_code: { enum: list.map((e) => e.code) } } }] },
        },
      },
    };
  }
  return responses;
}
