import { NotificationInbox, waitFor } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { CustomerStack, startCustomerStack } from '../testing/customer-stack';
import { NotificationsService } from './notifications';

let stack: CustomerStack;
/** The receivers' phones: the only place a code is readable. */
let inbox: NotificationInbox;
beforeAll(async () => {
  inbox = await new NotificationInbox().start();
  stack = await startCustomerStack({ NOTIFICATION_SWEEP_MS: '1000', NOTIFICATION_CHANNEL: 'webhook', NOTIFICATION_WEBHOOK_URL: inbox.url });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await inbox?.stop();
}, 60_000);

let numbers = 0;
/** A fresh 11-digit number per test, so limits never leak between tests or runs. */
const newNumber = () => `139${String(Date.now() % 100_000_000).padStart(8, '0').slice(0, 6)}${String(++numbers).padStart(2, '0')}`.slice(0, 11);

const latestCode = (mobile: string) => inbox.latestCode(mobile);

describe('verification codes', () => {
  it('delivers a code through the notification channel; creating a customer with it works once', async () => {
    const partner = await stack.createPartner();
    const call = stack.partner(partner);
    const mobile = newNumber();
    const sent = await call('POST', '/v2/bases/verificationcode/send', { body: { receiver_type: 1, mobile_phone: mobile, timeout: 5, lang: 'en-us' } });
    expect(sent.status).toBe(204);
    const code = await latestCode(mobile);
    expect(code).toMatch(/^\d{6}$/);
    const stored = await stack.dataSource.query('SELECT code_hash FROM verification_codes WHERE receiver = $1', [mobile]);
    expect(stored[0].code_hash).not.toContain(code);
    expect(inbox.for(mobile)[0].text).toBe(`Your verification code is ${code}. It is valid for 5 minutes.`);

    const created = await call('POST', '/v2/partners/sub-customers', { body: { xaccount_id: 'x', xaccount_type: 'T', mobile_phone: mobile, verification_code: code } });
    expect(created.status).toBe(200);
    const reused = await call('POST', '/v2/partners/sub-customers', { body: { xaccount_id: 'y', xaccount_type: 'T', mobile_phone: mobile, verification_code: code } });
    expect(reused).toMatchObject({ status: 400, body: { error_code: 'CBC.0100', error_msg: expect.stringMatching(/already used/) } });
  });

  it("counts a code only for the partner that sent it: another partner's code for the same number is no code, and leaves it usable", async () => {
    const sender = await stack.createPartner();
    const other = stack.partner(await stack.createPartner());
    const mobile = newNumber();
    expect((await stack.partner(sender)('POST', '/v2/bases/verificationcode/send', { body: { receiver_type: 1, mobile_phone: mobile } })).status).toBe(204);
    const code = await latestCode(mobile);
    const borrowed = await other('POST', '/v2/partners/sub-customers', { body: { xaccount_id: 'x', xaccount_type: 'T', mobile_phone: mobile, verification_code: code } });
    expect(borrowed).toMatchObject({ status: 400, body: { error_code: 'CBC.0100', error_msg: expect.stringMatching(/no code was sent/) } });
    const own = await stack.partner(sender)('POST', '/v2/partners/sub-customers', { body: { xaccount_id: 'x', xaccount_type: 'T', mobile_phone: mobile, verification_code: code } });
    expect(own.status).toBe(200);
  });

  it('refuses the sixteenth code for one number within an hour with 429 CBC.0250, and still serves other numbers', async () => {
    const call = stack.partner(await stack.createPartner());
    const mobile = newNumber();
    // Each request differs (timeout): the gateway refuses a byte-identical signed request twice (replay).
    for (let i = 1; i <= 15; i++) expect((await call('POST', '/v2/bases/verificationcode/send', { body: { receiver_type: 1, mobile_phone: mobile, timeout: i } })).status).toBe(204);
    const sixteenth = await call('POST', '/v2/bases/verificationcode/send', { body: { receiver_type: 1, mobile_phone: mobile } });
    expect(sixteenth).toMatchObject({ status: 429, body: { error_code: 'CBC.0250', error_msg: expect.stringMatching(/15 codes per number per hour/) } });
    expect((await call('POST', '/v2/bases/verificationcode/send', { body: { receiver_type: 1, mobile_phone: newNumber() } })).status).toBe(204);
  });

  it('holds the hourly limit exactly under concurrent requests', async () => {
    const call = stack.partner(await stack.createPartner());
    const mobile = newNumber();
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => call('POST', '/v2/bases/verificationcode/send', { body: { receiver_type: 1, mobile_phone: mobile, timeout: i + 1 } })));
    expect(answers.filter((a) => a.status === 204)).toHaveLength(15);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(10);
  });

  it('refuses the sixty-first code within a day', async () => {
    const partner = await stack.createPartner();
    const mobile = newNumber();
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    for (let i = 0; i < 60; i++) {
      await stack.dataSource.query(
        `INSERT INTO verification_codes (id, receiver, scene, code_hash, partner_id, expires_at, created_at) VALUES ($1, $2, '29', 'x', $3, $4, $4)`,
        [randomUUID(), mobile, partner.partner_id, twoHoursAgo],
      );
    }
    const refused = await stack.partner(partner)('POST', '/v2/bases/verificationcode/send', { body: { receiver_type: 1, mobile_phone: mobile } });
    expect(refused).toMatchObject({ status: 429, body: { error_code: 'CBC.0250', error_msg: expect.stringMatching(/60 codes per number per day/) } });
  });

  it('refuses expired codes and stops accepting a code after five wrong attempts', async () => {
    const call = stack.partner(await stack.createPartner());
    const expiring = newNumber();
    await call('POST', '/v2/bases/verificationcode/send', { body: { receiver_type: 1, mobile_phone: expiring } });
    const code = await latestCode(expiring);
    await stack.dataSource.query(`UPDATE verification_codes SET expires_at = now() - interval '1 second' WHERE receiver = $1`, [expiring]);
    const expired = await call('POST', '/v2/partners/sub-customers', { body: { xaccount_id: 'x', xaccount_type: 'T', mobile_phone: expiring, verification_code: code } });
    expect(expired).toMatchObject({ status: 400, body: { error_msg: expect.stringMatching(/expired/) } });

    const guessed = newNumber();
    await call('POST', '/v2/bases/verificationcode/send', { body: { receiver_type: 1, mobile_phone: guessed } });
    const right = await latestCode(guessed);
    const wrong = right === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) {
      const res = await call('POST', '/v2/partners/sub-customers', { body: { xaccount_id: `x${i}`, xaccount_type: 'T', mobile_phone: guessed, verification_code: wrong } });
      expect(res).toMatchObject({ status: 400, body: { error_msg: expect.stringMatching(/wrong/) } });
    }
    const locked = await call('POST', '/v2/partners/sub-customers', { body: { xaccount_id: 'x', xaccount_type: 'T', mobile_phone: guessed, verification_code: right } });
    expect(locked).toMatchObject({ status: 400, body: { error_msg: expect.stringMatching(/too many wrong attempts/) } });
  });

  it('validates the request as the public API', async () => {
    const call = stack.partner(await stack.createPartner());
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ receiver_type: 2, mobile_phone: '13900000000' }, /receiver_type/],
      [{ receiver_type: 1, mobile_phone: '12ab' }, /mobile_phone/],
      [{ receiver_type: 1, mobile_phone: '13900000000', scene: 18 }, /customer_id/],
      [{ receiver_type: 1, mobile_phone: '13900000000', timeout: 0 }, /timeout/],
    ];
    for (const [body, field] of cases) {
      const res = await call('POST', '/v2/bases/verificationcode/send', { body });
      expect({ status: res.status, code: res.body.error_code, field: field.test(res.body.error_msg) }).toEqual({ status: 400, code: 'CBC.0100', field: true });
    }
  });
});

describe('notification delivery', () => {
  it('delivers a notification whose job was never enqueued (the sweeper), and never twice', async () => {
    const recipient = newNumber();
    const service = stack.app.get(NotificationsService);
    // Stored as a request would store it, but never dispatched: only the sweeper can deliver it.
    const { id } = await stack.dataSource.transaction((m) =>
      service.request(m, { channel: 'sms', recipient, template: 'verification-code.29', params: { lang: 'en-us', minutes: 3 }, secrets: { code: '424242' } }),
    );
    await stack.dataSource.query(`UPDATE notifications SET created_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    await waitFor(async () => (await stack.operator('GET', '/operator/notifications', { query: { recipient } })).body.notifications.length === 1, 'the sweeper to deliver');
    expect(await service.deliver(id)).toBe('already-delivered');
    const [row] = await stack.dataSource.query('SELECT status, deliveries FROM notifications WHERE id = $1', [id]);
    expect(row).toEqual({ status: 'delivered', deliveries: 1 });
    expect(inbox.for(recipient).map((m) => m.text)).toEqual(['Your verification code is 424242. It is valid for 3 minutes.']);
  });
});

describe('verification codes at rest and in the operator view', () => {
  it('stores the template and its non-secret parameters, the code only sealed until delivery, and serves a masked text', async () => {
    const call = stack.partner(await stack.createPartner());
    const mobile = newNumber();
    expect((await call('POST', '/v2/bases/verificationcode/send', { body: { receiver_type: 1, mobile_phone: mobile, timeout: 7, lang: 'en-us' } })).status).toBe(204);
    const code = await latestCode(mobile);
    const rows = await stack.dataSource.query(`SELECT template, params, sealed_params, status FROM notifications WHERE recipient = $1`, [mobile]);
    expect(rows).toEqual([{ template: 'verification-code.29', params: { lang: 'en-us', minutes: 7 }, sealed_params: null, status: 'delivered' }]);
    const everything = JSON.stringify(await stack.dataSource.query(`SELECT n.*, v.* FROM notifications n JOIN verification_codes v ON v.receiver = n.recipient WHERE n.recipient = $1`, [mobile]));
    expect(everything).not.toContain(code);

    const view = await stack.operator('GET', '/operator/notifications', { query: { recipient: mobile } });
    expect(view.status).toBe(200);
    expect(view.body.notifications).toEqual([
      { notification_id: expect.any(String), channel: 'sms', template: 'verification-code.29', text: 'Your verification code is ******. It is valid for 7 minutes.', delivered_at: expect.any(String) },
    ]);
  });

  it('keeps the code sealed while the notification waits for delivery', async () => {
    const service = stack.app.get(NotificationsService);
    const recipient = newNumber();
    await stack.dataSource.transaction(async (m) => {
      const n = await service.request(m, { channel: 'sms', recipient, template: 'verification-code.29', params: { lang: 'zh-cn', minutes: 10 }, secrets: { code: '135790' } });
      const [row] = await m.query('SELECT sealed_params, params FROM notifications WHERE id = $1', [n.id]);
      expect(row.sealed_params).toMatch(/^v2:[a-z0-9_-]+:/);
      expect(JSON.stringify(row)).not.toContain('135790');
      // Rolled back: this notification is never sent.
      throw new RollbackProbe();
    }).catch((e) => {
      if (!(e instanceof RollbackProbe)) throw e;
    });
  });
});

class RollbackProbe extends Error {}
