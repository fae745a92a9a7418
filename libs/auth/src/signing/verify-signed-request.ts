import { UnauthenticatedError } from '@settle/contracts';
import { timingSafeEqual } from 'node:crypto';
import {
  CONTENT_SHA256_HEADER,
  DATE_HEADER,
  SIGNING_ALGORITHM,
  UNSIGNED_PAYLOAD,
  canonicalRequest,
  hmacHex,
  parseSdkDate,
  sha256Hex,
  stringToSign,
} from './canonical-request';

export interface SignedRequest {
  method: string;
  /** The path as received, still percent-encoded. */
  path: string;
  /** The query string as received, without `?`. */
  rawQuery: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface VerifyDependencies {
  /** The secret of an active access key; undefined for unknown or revoked keys. */
  lookupSecret(accessKey: string): Promise<string | undefined>;
  now?: () => Date;
}

export interface VerifiedRequest {
  accessKey: string;
  /** Lower-case hex; with the access key, the request's idempotency key (see SignatureStore). */
  signature: string;
  /** hex(sha256(body)) of the bytes received. */
  bodyDigest: string;
  /** How long the same signature stays acceptable: the whole X-Sdk-Date window, both sides. */
  replayWindowSeconds: number;
}

const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;
const AUTHORIZATION = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)$/;

/**
 * Verifies an SDK-HMAC-SHA256 signed request. Every failure is a 401 with a message that says
 * what is wrong, never the expected signature or anything about the secret. A signature seen
 * before is not refused here: what a repeat gets is the caller's decision (the gateway answers a
 * read again and replays a mutation's first answer).
 */
export async function verifySignedRequest(
  request: SignedRequest,
  deps: VerifyDependencies,
  options: { maxSkewMs?: number } = {},
): Promise<VerifiedRequest> {
  const authorization = request.headers.authorization;
  if (!authorization) throw new UnauthenticatedError('Missing Authorization header: sign the request with SDK-HMAC-SHA256.');
  if (!authorization.startsWith(`${SIGNING_ALGORITHM} `)) throw new UnauthenticatedError(`Unsupported signing algorithm: use ${SIGNING_ALGORITHM}.`);
  const match = AUTHORIZATION.exec(authorization.trim());
  if (!match) throw new UnauthenticatedError('Malformed Authorization header: expected "SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…".');
  const [, accessKey, signedHeaderList, signature] = match;
  const signedHeaders = signedHeaderList.toLowerCase().split(';');
  for (const required of ['host', DATE_HEADER]) {
    if (!signedHeaders.includes(required)) throw new UnauthenticatedError(`The ${required} header must be signed.`);
  }
  const missing = signedHeaders.filter((name) => request.headers[name] === undefined);
  if (missing.length) throw new UnauthenticatedError(`Signed header(s) missing from the request: ${missing.join(', ')}.`);

  const sdkDate = request.headers[DATE_HEADER];
  const date = parseSdkDate(sdkDate);
  if (!date) throw new UnauthenticatedError('X-Sdk-Date must look like 20261122T101500Z (UTC).');
  const maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const now = (deps.now ?? (() => new Date()))();
  if (Math.abs(now.getTime() - date.getTime()) > maxSkewMs) {
    throw new UnauthenticatedError(`X-Sdk-Date is more than ${maxSkewMs / 60_000} minutes away from the server time; check the client clock.`);
  }

  const bodyHash = sha256Hex(request.body);
  const declaredHash = request.headers[CONTENT_SHA256_HEADER];
  if (declaredHash !== undefined) {
    // An unsigned payload would let anyone alter the body of a captured request.
    if (declaredHash === UNSIGNED_PAYLOAD && request.body.length > 0) throw new UnauthenticatedError('UNSIGNED-PAYLOAD is not accepted: sign the body.');
    if (declaredHash !== UNSIGNED_PAYLOAD && declaredHash.toLowerCase() !== bodyHash) throw new UnauthenticatedError('X-Sdk-Content-Sha256 does not match the body.');
  }

  const secret = await deps.lookupSecret(accessKey);
  if (!secret) throw new UnauthenticatedError('Unknown or revoked access key.');

  const canonical = canonicalRequest({
    method: request.method,
    rawPath: request.path,
    rawQuery: request.rawQuery,
    headers: request.headers,
    signedHeaders,
    payloadHash: declaredHash ?? bodyHash,
  });
  const expected = Buffer.from(hmacHex(secret, stringToSign(sdkDate, canonical)), 'hex');
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new UnauthenticatedError('The signature does not match: check the secret key and how the request is signed.');
  }
  return { accessKey, signature: signature.toLowerCase(), bodyDigest: bodyHash, replayWindowSeconds: Math.ceil((2 * maxSkewMs) / 1000) };
}
