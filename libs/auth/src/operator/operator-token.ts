import { UnauthenticatedError } from '@settle/contracts';
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What an operator token says: who, with which roles, until when (seconds since epoch). */
export interface OperatorClaims {
  sub: string;
  roles: string[];
  iat: number;
  exp: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const MIN_SECRET_BYTES = 32;

function checkSecret(secret: string): void {
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) throw new Error(`The operator token secret must be at least ${MIN_SECRET_BYTES} bytes.`);
}

function sign(input: string, secret: string): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}

/** A compact HS256 JWT for an on-call engineer or an automation acting as operator. */
export function issueOperatorToken(input: { subject: string; roles: string[]; ttlSeconds: number }, secret: string, now = new Date()): string {
  checkSecret(secret);
  const iat = Math.floor(now.getTime() / 1000);
  const payload = Buffer.from(JSON.stringify({ sub: input.subject, roles: input.roles, iat, exp: iat + input.ttlSeconds })).toString('base64url');
  return `${HEADER}.${payload}.${sign(`${HEADER}.${payload}`, secret)}`;
}

export function verifyOperatorToken(token: string, secret: string, now = new Date()): OperatorClaims {
  checkSecret(secret);
  const parts = token.split('.');
  if (parts.length !== 3) throw new UnauthenticatedError('Malformed operator token.');
  const [header, payload, signature] = parts;
  let alg: unknown;
  try {
    alg = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')).alg;
  } catch {
    throw new UnauthenticatedError('Malformed operator token.');
  }
  if (alg !== 'HS256') throw new UnauthenticatedError('Operator tokens must be signed with HS256.');
  const expected = Buffer.from(sign(`${header}.${payload}`, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new UnauthenticatedError('Invalid operator token signature.');
  let claims: OperatorClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as OperatorClaims;
  } catch {
    throw new UnauthenticatedError('Malformed operator token.');
  }
  if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles) || typeof claims.exp !== 'number') {
    throw new UnauthenticatedError('Operator token lacks sub, roles or exp.');
  }
  if (claims.exp <= Math.floor(now.getTime() / 1000)) throw new UnauthenticatedError('The operator token has expired.');
  return claims;
}
