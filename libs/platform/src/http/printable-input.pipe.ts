import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { BadParameterError } from '@settle/contracts';

/** Beyond any real input, and what PostgreSQL's text type cannot store. */
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;
const MAX_DEPTH = 64;

/** The first place in `value` (a path such as `records.3.customer_id`) holding a NUL character. */
export function nulPathOf(value: unknown, path: string[] = [], depth = 0): string | undefined {
  if (typeof value === 'string') return NUL.test(value) ? path.join('.') || '(value)' : undefined;
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (NUL.test(key)) return [...path, key.replace(NUL, '\\0')].join('.');
    const found = nulPathOf(inner, [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses a NUL character anywhere in a route's parameters, query or body with 400 CBC.0100. No
 * identifier, amount or text of the API contains one, and PostgreSQL refuses it in text, so
 * without this a `%00` in an id a handler passes to a query became a 500.
 */
@Injectable()
export class PrintableInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const at = nulPathOf(value);
    if (at !== undefined) {
      const where = metadata.data ? `${metadata.data}${at === '(value)' ? '' : `.${at}`}` : at;
      throw new BadParameterError(`Invalid parameter ${where}: must not contain a NUL character.`);
    }
    return value;
  }
}
