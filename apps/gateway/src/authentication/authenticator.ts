import { Principal, VerifiedRequest, verifyOperatorToken, verifySignedRequest } from '@settle/auth';
import { AccessDeniedError, UnauthenticatedError } from '@settle/contracts';
import { Audience } from '../routing/route-table';
import { CredentialsClient, PartnerCredentials } from './credentials.client';

export interface IncomingRequest {
  method: string;
  path: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  requestId: string;
}

export interface Authenticated {
  principal: Principal;
  /** For a partner's signed request: its signature and body digest (repeats are judged by them). */
  signed?: VerifiedRequest;
}

/**
 * Decides who is calling. Partners sign with AK/SK (SDK-HMAC-SHA256); operators present a
 * bearer token. Partner paths take partners only, operator paths operators only.
 */
export class Authenticator {
  constructor(
    private readonly credentials: CredentialsClient,
    private readonly operatorTokenSecret: string,
  ) {}

  async authenticate(request: IncomingRequest, audience: Audience): Promise<Authenticated> {
    const authorization = headerValue(request.headers.authorization);
    if (!authorization) throw new UnauthenticatedError('The request is not authenticated: sign it with your AK/SK (SDK-HMAC-SHA256).');
    if (authorization.startsWith('Bearer ')) {
      if (audience !== 'operator') throw new AccessDeniedError('Operator tokens do not call the partner API; sign with a partner AK/SK.');
      const claims = verifyOperatorToken(authorization.slice('Bearer '.length).trim(), this.operatorTokenSecret);
      return { principal: { kind: 'operator', subject: claims.sub, roles: claims.roles, requestId: request.requestId } };
    }
    if (audience !== 'partner') throw new AccessDeniedError('Operator API calls need an operator token.');
    let found: PartnerCredentials | undefined;
    const signed = await verifySignedRequest(
      {
        method: request.method,
        path: request.path,
        rawQuery: request.rawQuery,
        headers: lowerCaseHeaders(request.headers),
        body: request.body,
      },
      {
        lookupSecret: async (ak) => {
          found = await this.credentials.lookup(ak);
          return found?.secretKey;
        },
      },
    );
    if (!found) throw new UnauthenticatedError('Unknown or revoked access key.');
    // The key acts as its member, with the member's role; a key without a member acts as the partner's admin.
    const principal: Principal = { kind: 'partner', partnerId: found.partnerId, accessKey: signed.accessKey, role: found.role, requestId: request.requestId };
    if (found.memberId) principal.memberId = found.memberId;
    return { principal, signed };
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function lowerCaseHeaders(headers: IncomingRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const v = headerValue(value);
    if (v !== undefined) out[name.toLowerCase()] = v;
  }
  return out;
}
