import { migrate } from '@settle/persistence';
import { dropSchemas, testInfrastructure, testNamespace, testSecrets, testServiceEnv } from '@settle/testing';
import { Client } from 'pg';
import { CustomerService } from '../customer-service';
import { NotificationTemplates1763769600800 } from './1763769600800-notification-templates';

/** Rows written before the migration carried the verification code in their text. */
describe('migration NotificationTemplates1763769600800', () => {
  it('keeps language and validity as parameters, drops every stored text, and discards what was still pending', async () => {
    const ns = testNamespace();
    const env = testServiceEnv(await testInfrastructure(), ns, testSecrets(), `${ns.schemaPrefix}customer`);
    const options = CustomerService.dataSourceOptions(CustomerService.loadConfig(env));
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    const before = (options.migrations as Function[]).filter((m) => m !== NotificationTemplates1763769600800);
    const db = new Client({ connectionString: options.url });
    await db.connect();
    try {
      await migrate({ ...options, migrations: before });
      const s = `"${options.schema}"`;
      await db.query(
        `INSERT INTO ${s}.notifications (id, channel, recipient, template, text, status) VALUES
          ('en', 'sms', '13900000001', 'verification-code.29', 'Your verification code is 123456. It is valid for 7 minutes.', 'delivered'),
          ('zh', 'sms', '13900000002', 'verification-code.18', '您的验证码为654321，5分钟内有效。', 'delivered'),
          ('pending', 'sms', '13900000003', 'verification-code.29', '您的验证码为111222，10分钟内有效。', 'pending')`,
      );
      expect(await migrate(options)).toEqual(['NotificationTemplates1763769600800']);
      const rows = await db.query(`SELECT * FROM ${s}.notifications ORDER BY id`);
      expect(rows.rows.map(({ id, params, sealed_params, status }) => ({ id, params, sealed_params, status }))).toEqual([
        { id: 'en', params: { lang: 'en-us', minutes: 7 }, sealed_params: null, status: 'delivered' },
        { id: 'pending', params: { lang: 'zh-cn', minutes: 10 }, sealed_params: null, status: 'discarded' },
        { id: 'zh', params: { lang: 'zh-cn', minutes: 5 }, sealed_params: null, status: 'delivered' },
      ]);
      const stored = JSON.stringify(rows.rows);
      for (const code of ['123456', '654321', '111222']) expect(stored).not.toContain(code);
    } finally {
      await db.end();
      await dropSchemas(options.url, [options.schema]);
    }
  });
});
