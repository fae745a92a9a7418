import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { RedisReplayGuard } from '@settle/auth';
import { NotFoundError } from '@settle/contracts';
import { LOGGER, Logger, REDIS, SERVICE_CONFIG, currentCorrelationId, newCorrelationId } from '@settle/platform';
import type { NextFunction, Request, Response } from 'express';
import { Redis } from 'ioredis';
import { Authenticator } from './authentication/authenticator';
import { CredentialsClient } from './authentication/credentials.client';
import { GatewayConfig } from './config';
import { UpstreamUnavailableError, forward } from './proxy/proxy';
import { RateLimiter } from './rate-limit/rate-limiter';
import { UpstreamService, resolveRoute, upstreamUrls } from './routing/route-table';

/**
 * The whole partner API behind one base URL: route by path, authenticate, rate-limit per
 * access key, then forward with a signed proof of the caller that the services verify.
 */
@Injectable()
export class GatewayMiddleware implements NestMiddleware {
  private readonly authenticator: Authenticator;
  private readonly limiter: RateLimiter;
  private readonly urls: Record<UpstreamService, string>;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    @Inject(REDIS) redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.urls = upstreamUrls(config);
    const credentials = new CredentialsClient(config.CUSTOMER_SERVICE_URL, config.INTERNAL_AUTH_SECRET, config.CREDENTIAL_CACHE_MS);
    this.authenticator = new Authenticator(credentials, new RedisReplayGuard(redis, `${config.REDIS_PREFIX}:replay:`), config.OPERATOR_TOKEN_SECRET);
    this.limiter = new RateLimiter(redis, config.REDIS_PREFIX, config.RATE_LIMIT_PER_SECOND);
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      const path = req.path;
      const route = resolveRoute(path, this.urls);
      if (!route) throw new NotFoundError(`No such resource: ${req.method} ${path}`);
      const correlationId = currentCorrelationId() ?? newCorrelationId();
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const queryStart = req.originalUrl.indexOf('?');
      const principal = await this.authenticator.authenticate(
        {
          method: req.method,
          path,
          rawQuery: queryStart >= 0 ? req.originalUrl.slice(queryStart + 1) : '',
          headers: req.headers,
          body,
          requestId: correlationId,
        },
        route.audience,
      );
      await this.limiter.consume(principal.kind === 'partner' ? `ak:${principal.accessKey}` : `op:${principal.kind === 'operator' ? principal.subject : 'service'}`);
      await forward(route.baseUrl, route.service, { method: req.method, url: req.originalUrl, path, headers: req.headers, body, principal, correlationId }, res, this.config.INTERNAL_AUTH_SECRET);
    } catch (error) {
      if (error instanceof UpstreamUnavailableError) this.logger.error({ service: error.service, err: error.reason.message }, 'upstream unavailable');
      if (res.headersSent) {
        res.destroy(error as Error);
        return;
      }
      next(error);
    }
  }
}
