import { DATE_HEADER, SIGNING_ALGORITHM, canonicalRequest, formatSdkDate, hmacHex, sha256Hex, stringToSign } from './canonical-request';

export interface Credentials {
  accessKey: string;
  secretKey: string;
}

export interface RequestToSign {
  method: string;
  /** Path and query as sent on the wire, e.g. `/v2/bills/x?limit=10`. */
  url: string;
  /** Headers that will be sent; all of them are signed, as the official signer does. Must include `host`. */
  headers: Record<string, string>;
  body?: Buffer | string;
}

/** Signs a request; returns the headers to add (`X-Sdk-Date`, `Authorization`). */
export function signRequest(request: RequestToSign, credentials: Credentials, now: Date = new Date()): Record<string, string> {
  const sdkDate = formatSdkDate(now);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  if (!headers.host) throw new Error('signRequest: the host header is required (it is signed)');
  headers[DATE_HEADER] = sdkDate;
  const signedHeaders = Object.keys(headers).sort();
  const queryStart = request.url.indexOf('?');
  const canonical = canonicalRequest({
    method: request.method,
    rawPath: queryStart >= 0 ? request.url.slice(0, queryStart) : request.url,
    rawQuery: queryStart >= 0 ? request.url.slice(queryStart + 1) : '',
    headers,
    signedHeaders,
    payloadHash: sha256Hex(request.body ?? ''),
  });
  const signature = hmacHex(credentials.secretKey, stringToSign(sdkDate, canonical));
  return {
    'X-Sdk-Date': sdkDate,
    Authorization: `${SIGNING_ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`,
  };
}
