import { serviceNameOf } from './start-tracing';
import { currentTraceparent, inSpan, withTraceparent } from './propagation';

describe('tracing without an OTLP endpoint', () => {
  it('names the service from its entry point', () => {
    expect(serviceNameOf('/app/apps/billing-service/src/main.ts')).toBe('billing-service');
    expect(serviceNameOf('/usr/bin/jest')).toBe('settle');
  });

  it('propagates nothing and still runs the work', async () => {
    expect(currentTraceparent()).toBeUndefined();
    await expect(inSpan('job', 'consumer', undefined, {}, async () => 42)).resolves.toBe(42);
    expect(withTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', () => 'ran')).toBe('ran');
  });
});
