import { BadParameterError } from '@settle/contracts';

/** What RFC 3986 allows in a path unencoded (unreserved, sub-delims, `:`, `@`, `/`) plus `%` escapes. */
const PATH_CHARACTERS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

export interface RequestTarget {
  /** The path exactly as received, still percent-encoded: what is routed is what is forwarded. */
  path: string;
  /** The query string without `?`, as received. */
  query: string;
}

/**
 * Splits the request line's target and refuses every path whose meaning could change between the
 * gateway's routing and the service's (or a proxy's) reading of it: dot-segments, plain or
 * percent-encoded (`..`, `%2e%2e`), encoded slashes and backslashes (`%2f`, `%5c`), backslashes,
 * broken percent-encoding. `/v2/bills/../../internal/credentials/AK` must not reach `/internal`.
 */
export function parseRequestTarget(originalUrl: string): RequestTarget {
  const queryStart = originalUrl.indexOf('?');
  const path = queryStart >= 0 ? originalUrl.slice(0, queryStart) : originalUrl;
  const query = queryStart >= 0 ? originalUrl.slice(queryStart + 1) : '';
  if (!path.startsWith('/')) throw badPath('it must start with /');
  if (path.includes('\\')) throw badPath('it contains a backslash');
  if (!PATH_CHARACTERS.test(path)) throw badPath('it contains characters that must be percent-encoded');
  if (/%(?![0-9a-f]{2})/i.test(path)) throw badPath('it contains a % that is not followed by two hex digits');
  if (/%(2f|5c)/i.test(path)) throw badPath('it contains an encoded slash or backslash (%2F, %5C)');
  for (const segment of path.split('/')) {
    const literal = segment.replace(/%2e/gi, '.');
    if (literal === '.' || literal === '..') throw badPath('it contains a dot-segment (. or .., also as %2E)');
  }
  return { path, query };
}

function badPath(reason: string): BadParameterError {
  return new BadParameterError(`Bad request path: ${reason}. Send the resource path as documented, without relative segments.`);
}
