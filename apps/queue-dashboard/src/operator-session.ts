import { OperatorClaims, verifyOperatorToken } from '@settle/auth';
import { Logger } from '@settle/platform';
import type { NextFunction, Request, Response } from 'express';

export const SESSION_COOKIE = 'settle_operator';

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The sign-in page: an operator token, nothing else (no token, no page). */
export function loginPage(basePath: string, error?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Settle queues: sign in</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto}textarea{width:100%;height:8rem}p.error{color:#b00020}</style></head>
<body><h1>Settle queues</h1><p>Sign in with an operator token (<code>npx settle operator-token --subject you</code>).</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${basePath}/login"><label for="token">Operator token</label>
<textarea id="token" name="token" autocomplete="off" required></textarea>
<button type="submit">Sign in</button></form></body></html>`;
}

/**
 * Operator authentication for the dashboard: a bearer token, or the session cookie that signing
 * in sets (the token itself, HttpOnly, SameSite=Strict, expiring with the token). Every request
 * is verified; a page request without a valid token goes to the sign-in page, an API request gets
 * 401 in the platform's error shape. Changes made through the dashboard are logged as audit lines
 * with the operator's subject.
 */
export class OperatorSession {
  constructor(
    private readonly secret: string,
    private readonly secureCookie: boolean,
    private readonly logger: Logger,
    private readonly basePath: string,
  ) {}

  private claimsOf(req: Request): OperatorClaims | undefined {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : cookie(req, SESSION_COOKIE);
    if (!token) return undefined;
    try {
      return verifyOperatorToken(token, this.secret);
    } catch {
      return undefined;
    }
  }

  /** POST <base>/login with a form-encoded `token`. */
  login = (req: Request, res: Response): void => {
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const token = (new URLSearchParams(raw).get('token') ?? '').trim();
    let claims: OperatorClaims;
    try {
      claims = verifyOperatorToken(token, this.secret);
    } catch (error) {
      res.status(401).type('html').send(loginPage(this.basePath, `Not signed in: ${(error as Error).message}`));
      return;
    }
    const maxAge = Math.max(0, claims.exp - Math.floor(Date.now() / 1000));
    res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=${this.basePath}; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${this.secureCookie ? '; Secure' : ''}`);
    this.logger.info({ audit: true, actor: claims.sub, action: 'dashboard.sign-in' }, 'operator signed in to the queue dashboard');
    res.redirect(303, `${this.basePath}/`);
  };

  logout = (_req: Request, res: Response): void => {
    res.setHeader('Set-Cookie', `${SESSION_COOKIE}=; Path=${this.basePath}; HttpOnly; SameSite=Strict; Max-Age=0`);
    res.redirect(303, `${this.basePath}/login`);
  };

  guard = (req: Request, res: Response, next: NextFunction): void => {
    const claims = this.claimsOf(req);
    if (!claims) {
      if (req.path.startsWith('/api/') || req.method !== 'GET') {
        res.status(401).json({ error_code: 'CBC.0151', error_msg: 'Sign in with an operator token first.' });
      } else {
        res.redirect(303, `${this.basePath}/login`);
      }
      return;
    }
    if (req.method !== 'GET') {
      res.on('finish', () =>
        this.logger.info({ audit: true, actor: claims.sub, action: 'dashboard.change', method: req.method, path: req.path, status: res.statusCode }, 'queue dashboard change'),
      );
    }
    next();
  };
}
