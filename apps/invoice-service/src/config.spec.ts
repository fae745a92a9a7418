import { ConfigError } from '@settle/platform';
import { offlineEnv } from '@settle/service-kit/testing';
import { InvoiceService } from './invoice-service';

describe('invoice-service configuration', () => {
  const base = () => {
    const env = offlineEnv();
    delete env.CREDENTIALS_ENCRYPTION_KEY;
    return env;
  };

  it('starts without sealing keys (webhooks then refused) and with the defaults of every feature', () => {
    const config = InvoiceService.loadConfig(base());
    expect(config).toMatchObject({ INVOICE_NOTIFICATION_ATTEMPTS: 8, INVOICE_WEBHOOK_PAUSE_AFTER: 10, INVOICE_CONSUMERS_ENABLED: true, INVOICE_NOTIFICATION_WORKER_ENABLED: true });
    expect(config.SMTP_URL).toBeUndefined();
  });

  it('refuses to start with a malformed sealing key or SMTP URL, naming the variable', () => {
    expect(() => InvoiceService.loadConfig({ ...base(), CREDENTIALS_ENCRYPTION_KEY: 'short' })).toThrow(ConfigError);
    expect(() => InvoiceService.loadConfig({ ...base(), CREDENTIALS_ENCRYPTION_KEY: 'short' })).toThrow(/CREDENTIALS_ENCRYPTION_KEY/);
    expect(() => InvoiceService.loadConfig({ ...base(), SMTP_URL: 'http://mail' })).toThrow(/SMTP_URL/);
    expect(() => InvoiceService.loadConfig({ ...base(), INVOICE_CONSUMERS_ENABLED: 'yes' })).toThrow(/INVOICE_CONSUMERS_ENABLED/);
  });
});
