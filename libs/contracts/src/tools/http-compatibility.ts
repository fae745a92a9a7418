import type { OpenApiDocument } from '../http/openapi';
import { breakingChanges } from './compatibility';

/*
 * The HTTP half of docs/contracts.md: a published route (path + method) never changes
 * incompatibly. Compared with the committed baseline document, these are refused:
 * - an operation removed (publish the new version's path beside it; keep the old one, deprecated,
 *   for the deprecation period);
 * - its success status or media type changed;
 * - a parameter removed, or one that became required, or a new required one;
 * - in parameter, request body and answer schemas: what `breakingChanges` refuses for events (a
 *   removed or retyped field, a field that became required or a new required one, a removed enum
 *   value or union branch), so fields are only ever added, and optional.
 * Schemas are compared with their `$ref`s resolved against each document's own components.
 */

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `schema` with every local `$ref` replaced by what it names (a cycle stops at its second visit). */
export function resolveRefs(schema: unknown, document: OpenApiDocument, seen: string[] = []): unknown {
  if (Array.isArray(schema)) return schema.map((s) => resolveRefs(s, document, seen));
  if (!isObject(schema)) return schema;
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    if (seen.includes(ref)) return {};
    const target = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (isObject(node) ? node[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), document);
    const { $ref: _ref, ...rest } = schema;
    return resolveRefs({ ...(isObject(target) ? target : {}), ...rest }, document, [...seen, ref]);
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolveRefs(v, document, seen)]));
}

/** `allOf` branches folded into one object schema (properties and required merged), so two versions compare field by field. */
function flatten(schema: unknown): Json {
  if (!isObject(schema)) return {};
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...rest } = schema;
  const parts = [rest, ...(allOf as unknown[]).map(flatten)];
  const properties: Json = {};
  const required = new Set<string>();
  const out: Json = {};
  for (const part of parts) {
    for (const [k, v] of Object.entries(part)) {
      if (k === 'properties' && isObject(v)) {
        for (const [name, sub] of Object.entries(v)) properties[name] = isObject(properties[name]) && isObject(sub) ? { ...(properties[name] as Json), ...sub } : sub;
      } else if (k === 'required' && Array.isArray(v)) v.forEach((r) => required.add(String(r)));
      else out[k] = v;
    }
  }
  if (Object.keys(properties).length) out.properties = properties;
  if (required.size) out.required = [...required].sort();
  return out;
}

function schemaChanges(before: unknown, after: unknown, baseline: OpenApiDocument, current: OpenApiDocument, path: string): string[] {
  return breakingChanges(flatten(resolveRefs(before, baseline)), flatten(resolveRefs(after, current)), path);
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: unknown;
}

function parametersOf(operation: Json): Map<string, Parameter> {
  const list = Array.isArray(operation.parameters) ? (operation.parameters as Parameter[]) : [];
  return new Map(list.map((p) => [`${p.in}:${p.name}`, p]));
}

function successOf(operation: Json): [string, Json] | undefined {
  const responses = isObject(operation.responses) ? operation.responses : {};
  const entry = Object.entries(responses).find(([status]) => /^[23]\d\d$/.test(status));
  return entry && [entry[0], isObject(entry[1]) ? entry[1] : {}];
}

/** Every breaking change from `baseline` to `current`, as readable lines (empty: compatible). */
export function breakingApiChanges(baseline: OpenApiDocument, current: OpenApiDocument): string[] {
  const out: string[] = [];
  for (const [path, item] of Object.entries(baseline.paths ?? {})) {
    for (const method of METHODS) {
      const before = item[method] as Json | undefined;
      if (!before) continue;
      const at = `${method.toUpperCase()} ${path}`;
      const after = current.paths?.[path]?.[method] as Json | undefined;
      if (!after) {
        out.push(`${at}: operation removed (publish the new version beside it and keep this one, deprecated, for the deprecation period)`);
        continue;
      }
      const pBefore = parametersOf(before);
      const pAfter = parametersOf(after);
      for (const [key, p] of pBefore) {
        const now = pAfter.get(key);
        if (!now) out.push(`${at}: ${p.in} parameter ${p.name} removed`);
        else {
          if (!p.required && now.required) out.push(`${at}: ${p.in} parameter ${p.name} became required`);
          out.push(...schemaChanges(p.schema ?? {}, now.schema ?? {}, baseline, current, `${at} ${p.in} parameter ${p.name}`));
        }
      }
      for (const [key, p] of pAfter) if (!pBefore.has(key) && p.required) out.push(`${at}: new required ${p.in} parameter ${p.name}`);

      const bodyBefore = ((before.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as Json | undefined;
      const bodyAfter = ((after.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as Json | undefined;
      if (!bodyBefore && bodyAfter && (after.requestBody as Json).required) out.push(`${at}: a required request body was added`);
      if (bodyBefore && !bodyAfter) out.push(`${at}: the JSON request body is no longer accepted`);
      if (bodyBefore && bodyAfter) out.push(...schemaChanges(bodyBefore.schema, bodyAfter.schema, baseline, current, `${at} request body`));

      const okBefore = successOf(before);
      const okAfter = successOf(after);
      if (okBefore) {
        if (!okAfter || okAfter[0] !== okBefore[0]) out.push(`${at}: success status changed from ${okBefore[0]} to ${okAfter?.[0] ?? '(none)'}`);
        else {
          const mediaBefore = isObject(okBefore[1].content) ? okBefore[1].content : {};
          const mediaAfter = isObject(okAfter[1].content) ? okAfter[1].content : {};
          for (const [media, content] of Object.entries(mediaBefore)) {
            if (!(media in mediaAfter)) out.push(`${at}: answer media type ${media} removed`);
            else out.push(...schemaChanges((content as Json).schema, (mediaAfter[media] as Json).schema, baseline, current, `${at} answer`));
          }
        }
      }

    }
  }
  return out;
}

/** Operations in `current` that `baseline` lacks (new, allowed), as `METHOD /path`. */
export function addedOperations(baseline: OpenApiDocument, current: OpenApiDocument): string[] {
  const out: string[] = [];
  for (const [path, item] of Object.entries(current.paths ?? {})) {
    for (const method of METHODS) if (item[method] && !baseline.paths?.[path]?.[method]) out.push(`${method.toUpperCase()} ${path}`);
  }
  return out;
}
