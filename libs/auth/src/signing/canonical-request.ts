import { createHash, createHmac } from 'node:crypto';

/**
 * The provider's API Gateway signing scheme (SDK-HMAC-SHA256), written to produce byte for byte
 * what the official SDK signer produces:
 *   canonical request = METHOD \n URI \n QUERY \n HEADERS \n SIGNED-HEADERS \n hex(sha256(body))
 *   string to sign    = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(sha256(canonical request))
 *   signature         = hex(HMAC-SHA256(SK, string to sign))
 */
export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';
export const DATE_HEADER = 'x-sdk-date';
export const CONTENT_SHA256_HEADER = 'x-sdk-content-sha256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** RFC 3986 encoding of everything but unreserved characters, upper-case hex, UTF-8. */
export function uriEncode(value: string): string {
  let out = '';
  for (const ch of value) {
    if (UNRESERVED.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Each path segment encoded as it appears in the request line (the official signer encodes the
 * already-encoded path, so `%` becomes `%25`), always ending with `/`.
 */
export function canonicalUri(rawPath: string): string {
  const encoded = rawPath.split('/').map(uriEncode).join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/** Query parameters decoded (form encoding: `+` is a space), sorted by name (repeated names by value), re-encoded. */
export function canonicalQueryString(rawQuery: string): string {
  if (!rawQuery) return '';
  const params = new Map<string, string[]>();
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = safeDecode(eq >= 0 ? part.slice(0, eq) : part);
    const value = eq >= 0 ? safeDecode(part.slice(eq + 1)) : '';
    params.set(name, [...(params.get(name) ?? []), value]);
  }
  return [...params.keys()]
    .sort()
    .flatMap((name) => [...params.get(name)!].sort().map((value) => `${uriEncode(name)}=${uriEncode(value)}`))
    .join('&');
}

/**
 * Query values as the form encoding clients use: `+` is a space (URLSearchParams, most HTTP
 * clients), `%2B` a plus. Without this, a value with a space sent as `+` fails its signature.
 */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

export function canonicalHeaders(headers: Record<string, string>, signedHeaders: string[]): string {
  return signedHeaders.map((name) => `${name}:${headers[name] ?? ''}\n`).join('');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmacHex(key: string, data: string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

export function canonicalRequest(parts: {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: Record<string, string>;
  signedHeaders: string[];
  payloadHash: string;
}): string {
  return [
    parts.method.toUpperCase(),
    canonicalUri(parts.rawPath),
    canonicalQueryString(parts.rawQuery),
    canonicalHeaders(parts.headers, parts.signedHeaders),
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}

export function stringToSign(sdkDate: string, canonical: string): string {
  return [SIGNING_ALGORITHM, sdkDate, sha256Hex(canonical)].join('\n');
}

/** `20261122T101500Z` */
export function formatSdkDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function parseSdkDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(date.getTime()) ? undefined : date;
}
