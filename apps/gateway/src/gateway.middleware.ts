import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { RedisSignatureStore } from '@settle/auth';
import { NotFoundError } from '@settle/contracts';
import { LOGGER, Logger, REDIS, SERVICE_CONFIG, currentCorrelationId, newCorrelationId } from '@settle/platform';
import type { NextFunction, Request, Response } from 'express';
import { Redis } from 'ioredis';
import { Authenticator } from './authentication/authenticator';
import { CredentialsClient } from './authentication/credentials.client';
import { GatewayConfig } from './config';
import { ForwardRequest, UpstreamUnavailableError, exchange, forward } from './proxy/proxy';
import { RateLimiter } from './rate-limit/rate-limiter';
import { MutationReplay, isRead } from './replay/mutation-replay';
import { parseRequestTarget } from './routing/request-target';
import { UpstreamService, resolveRoute, upstreamUrls } from './routing/route-table';

/**
 * The whole partner API behind one base URL: check and route the path, authenticate, rate-limit
 * per access key, then forward exactly that path with a signed proof of the caller (method, path,
 * query, body digest) that the services verify. A partner's signed mutation applies once per
 * signature; a repeat gets the first answer.
 */
@Injectable()
export class GatewayMiddleware implements NestMiddleware {
  private readonly authenticator: Authenticator;
  private readonly limiter: RateLimiter;
  private readonly replay: MutationReplay;
  private readonly urls: Record<UpstreamService, string>;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    @Inject(REDIS) redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.urls = upstreamUrls(config);
    const credentials = new CredentialsClient(config.CUSTOMER_SERVICE_URL, config.INTERNAL_AUTH_SECRET, config.CREDENTIAL_CACHE_MS);
    this.authenticator = new Authenticator(credentials, config.OPERATOR_TOKEN_SECRET);
    this.limiter = new RateLimiter(redis, config.REDIS_PREFIX, config.RATE_LIMIT_PER_SECOND);
    this.replay = new MutationReplay(new RedisSignatureStore(redis, `${config.REDIS_PREFIX}:replay:`), {
      onRecordFailure: (err, key) => logger.error({ err, key: key.split(':')[0] }, 'could not record a signed mutation for replay'),
    });
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      const { path, query } = parseRequestTarget(req.originalUrl);
      const route = resolveRoute(path, this.urls);
      if (!route) throw new NotFoundError(`No such resource: ${req.method} ${path}`);
      const correlationId = currentCorrelationId() ?? newCorrelationId();
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const { principal, signed } = await this.authenticator.authenticate({ method: req.method, path, rawQuery: query, headers: req.headers, body, requestId: correlationId }, route.audience);
      await this.limiter.consume(principal.kind === 'partner' ? `ak:${principal.accessKey}` : `op:${principal.kind === 'operator' ? principal.subject : 'service'}`);
      const outgoing: ForwardRequest = { method: req.method, path, query, headers: req.headers, body, principal, correlationId };
      if (signed && !isRead(req.method, path)) {
        const mutation = { key: `${signed.accessKey}:${signed.signature}`, bodyDigest: signed.bodyDigest, ttlSeconds: signed.replayWindowSeconds };
        await this.replay.handle(mutation, res, () => exchange(route.baseUrl, route.service, outgoing, this.config.INTERNAL_AUTH_SECRET));
      } else {
        await forward(route.baseUrl, route.service, outgoing, res, this.config.INTERNAL_AUTH_SECRET);
      }
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
