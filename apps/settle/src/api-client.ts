import { issueOperatorToken } from '@settle/auth';
import { settings } from './settings';

/**
 * A failure the CLI explains to the person running it. Exit codes scripts can trust:
 * 1 the command failed, 2 it was refused or left something undone (an unconfirmed prompt,
 * a guard such as an active consumer group, a partial result), 0 it did what it said.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** Where the operator API is and the operator token to call it with (from the environment or `.local/settle.env`). */
export function operatorCredentials(urlOverride?: string): { baseUrl: string; token: string; tokenSecret?: string } {
  const s = settings();
  const baseUrl = (urlOverride ?? s.SETTLE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
  let token = s.SETTLE_OPERATOR_TOKEN;
  if (!token && s.OPERATOR_TOKEN_SECRET) {
    token = issueOperatorToken({ subject: s.USER ?? 'operator', roles: ['admin'], ttlSeconds: 300 }, s.OPERATOR_TOKEN_SECRET);
  }
  if (!token) {
    throw new CliError('No operator credentials: set SETTLE_OPERATOR_TOKEN (or OPERATOR_TOKEN_SECRET to mint one), or run `npm run up` first.');
  }
  return { baseUrl, token, tokenSecret: s.OPERATOR_TOKEN_SECRET };
}

/** Calls the operator API through the gateway with an operator token. */
export class OperatorApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static fromSettings(urlOverride?: string): OperatorApi {
    const { baseUrl, token } = operatorCredentials(urlOverride);
    return new OperatorApi(baseUrl, token);
  }

  async request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new CliError(`Cannot reach Settle at ${this.baseUrl} (${(error as Error).message}). Is the platform up? Try \`npm run up\`.`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const err = parsed as { error_code?: string; error_msg?: string } | undefined;
      throw new CliError(err?.error_code ? `${err.error_code}: ${err.error_msg}` : `HTTP ${response.status}: ${text.slice(0, 200)}`);
    }
    return parsed as T;
  }
}
