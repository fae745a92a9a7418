import { createHmac } from 'node:crypto';
import { formatTime, isTimeZone, renderEmail, templateKinds } from './notification-templates';
import { newWebhookSecret, signWebhook, verifyWebhook } from './webhook-signature';

describe('invoice notification templates', () => {
  it('shows a time in the partner’s time zone', () => {
    expect(formatTime('2026-03-31T18:30:00.000Z', 'Asia/Shanghai')).toBe('2026-04-01 02:30 (Asia/Shanghai)');
    expect(formatTime('2026-03-31T18:30:00.000Z', 'America/New_York')).toBe('2026-03-31 14:30 (America/New_York)');
    expect(formatTime('2026-01-15T00:05:00.000Z', 'UTC')).toBe('2026-01-15 00:05 (UTC)');
  });

  it('knows IANA zones and refuses others', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it('renders each step in Chinese and English with the step’s facts', () => {
    const params = { invoicing_list_id: 'L1', application_id: 'A1', period: '2026-03', currency: 'CNY', net_amount: '1000.00', tax_amount: '60.00', gross_amount: '1060.00', mailing_address: 'Desk, 010, Beijing', applied_at: '2026-03-31T18:30:00.000Z' };
    const zh = renderEmail('list-ready', 'zh-CN', 'Asia/Shanghai', params);
    expect(zh.subject).toBe('开票清单已生成：2026-03 激励发放');
    expect(zh.text).toContain('申请时间 2026-04-01 02:30 (Asia/Shanghai)');
    expect(zh.text).toContain('价税合计 1060.00 CNY');
    const en = renderEmail('list-ready', 'en-US', 'America/New_York', params);
    expect(en.subject).toBe('Invoicing list ready: incentive payout for 2026-03');
    expect(en.text).toContain('applied 2026-03-31 14:30 (America/New_York)');
    expect(renderEmail('invoice-rejected', 'en-US', 'UTC', { invoice_number: 'N1', invoicing_list_id: 'L1', rejected_at: '2026-01-01T00:00:00Z', reason: 'tax differs' }).text).toContain('Reason: tax differs');
  });

  it('has every step in both languages', () => {
    const kinds = new Set(templateKinds().map(([k]) => k));
    expect(kinds.size).toBe(6);
    expect(templateKinds()).toHaveLength(12);
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"version":"1","type":"invoice.approved"}';

  it('sign HMAC-SHA256 over "<timestamp>.<body>" as hex, the value a receiver recomputes', () => {
    expect(signWebhook(secret, 1767225600, body)).toBe('v1=' + createHmac('sha256', secret).update(`1767225600.${body}`).digest('hex'));
    expect(verifyWebhook(secret, { timestamp: '1767225600', signature: signWebhook(secret, 1767225600, body) }, body, 1767225700)).toBe(true);
  });

  it('fail for another body, another secret, another timestamp or a stale one', () => {
    const signature = signWebhook(secret, 1767225600, body);
    expect(verifyWebhook(secret, { timestamp: '1767225600', signature }, body + ' ', 1767225600)).toBe(false);
    expect(verifyWebhook('whsec_other', { timestamp: '1767225600', signature }, body, 1767225600)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: '1767225601', signature }, body, 1767225600)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: '1767225600', signature }, body, 1767225600 + 301)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: undefined, signature }, body, 1767225600)).toBe(false);
  });

  it('make secrets that differ every time', () => {
    expect(newWebhookSecret()).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(newWebhookSecret());
  });
});
