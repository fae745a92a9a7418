import { Inject, Module } from '@nestjs/common';
import { HealthRegistry, SERVICE_CONFIG } from '@settle/platform';
import { GatewayConfig } from './config';
import { GatewayMiddleware } from './gateway.middleware';
import { MetricsListener } from './metrics/metrics-listener';

@Module({ providers: [GatewayMiddleware, MetricsListener] })
export class GatewayModule {
  constructor(@Inject(SERVICE_CONFIG) config: GatewayConfig, health: HealthRegistry) {
    // Without customer-service no partner signature can be verified.
    health.register({
      name: 'customer-service',
      async check() {
        const res = await fetch(`${config.CUSTOMER_SERVICE_URL}/health/live`, { signal: AbortSignal.timeout(1_500) });
        if (!res.ok) throw new Error(`answered ${res.status}`);
      },
    });
  }
}
