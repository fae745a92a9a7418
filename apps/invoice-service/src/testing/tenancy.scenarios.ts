import { BillPaymentReceivedV1, ConsumerGroups, IncentivePayoutAppliedV1 } from '@settle/contracts';
import { offlineEnv, walkMalformedInput } from '@settle/service-kit/testing';
import { ApiResponse, PartnerCredentials, waitFor } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { InvoiceService } from '../invoice-service';
import { InvoiceStack } from './invoice-stack';

/**
 * The tenancy proof for invoice-service: every partner route, called as partner B with partner A's
 * ids (in paths and bodies) and as one of A's salespeople (who has no invoice permission). By-id
 * routes are refused (403/404 in the error shape); list and own-account routes answer nothing of
 * A's. The table is keyed by the route walk: a new partner route without a row fails the first
 * test. The malformed-input walk shares this stack (one stack per file keeps the suite fast).
 */
let stack: InvoiceStack;

interface Probe {
  method: string;
  path: string;
  body?: unknown;
  expect: 'refused' | 'nothing';
}
interface World {
  info: string;
  list: string;
  billInvoice: string;
  endpoint: string;
  notification: string;
}
const refused = (method: string, path: string, body?: unknown): Probe => ({ method, path, body, expect: 'refused' });
const nothing = (method: string, path: string, body?: unknown): Probe => ({ method, path, body, expect: 'nothing' });
const I = '/v2/invoices';
const infoBody = { title: 'Tenant B Ltd.', taxpayer_id: '91110000MA00TENB01', invoice_type: 'vat-general', mailing_recipient: 'B', mailing_phone: '010-2222-0000', mailing_address: 'B Street' };
const invoiceBody = { invoice_number: '1', invoice_date: '2026-11-05', net_amount: '1.00', tax_amount: '0.06', gross_amount: '1.06', tax_rate: '0.06', tracking_number: 'SF0001' };

const TABLE: Record<string, (w: World) => Probe[]> = {
  [`GET ${I}/bill-invoices`]: () => [nothing('GET', `${I}/bill-invoices`)],
  [`POST ${I}/bill-invoices`]: (w) => [nothing('POST', `${I}/bill-invoices`, { request_id: 'b-1', invoice_information_id: w.info })],
  [`GET ${I}/bill-invoices/:bill_invoice_id`]: (w) => [refused('GET', `${I}/bill-invoices/${w.billInvoice}`)],
  [`GET ${I}/bill-invoices/invoiceable-amount`]: () => [nothing('GET', `${I}/bill-invoices/invoiceable-amount`)],
  [`GET ${I}/invoice-information`]: () => [nothing('GET', `${I}/invoice-information`)],
  [`POST ${I}/invoice-information`]: () => [nothing('POST', `${I}/invoice-information`, infoBody)],
  [`DELETE ${I}/invoice-information/:invoice_information_id`]: (w) => [refused('DELETE', `${I}/invoice-information/${w.info}`)],
  [`GET ${I}/invoice-information/:invoice_information_id`]: (w) => [refused('GET', `${I}/invoice-information/${w.info}`)],
  [`PUT ${I}/invoice-information/:invoice_information_id`]: (w) => [refused('PUT', `${I}/invoice-information/${w.info}`, { mailing_address: 'Hijacked' })],
  [`GET ${I}/invoice-information/:invoice_information_id/audit`]: (w) => [refused('GET', `${I}/invoice-information/${w.info}/audit`)],
  [`PUT ${I}/invoice-information/:invoice_information_id/title`]: (w) => [refused('PUT', `${I}/invoice-information/${w.info}/title`, { title: 'Hijacked' })],
  [`GET ${I}/invoicing-lists`]: () => [nothing('GET', `${I}/invoicing-lists`)],
  [`GET ${I}/invoicing-lists/:list_id`]: (w) => [refused('GET', `${I}/invoicing-lists/${w.list}`)],
  [`POST ${I}/invoicing-lists/:list_id/invoices`]: (w) => [refused('POST', `${I}/invoicing-lists/${w.list}/invoices`, invoiceBody)],
  [`GET ${I}/message-settings`]: () => [nothing('GET', `${I}/message-settings`)],
  [`PUT ${I}/message-settings`]: () => [nothing('PUT', `${I}/message-settings`, { language: 'en-US', time_zone: 'UTC', channels: {} })],
  [`GET ${I}/notifications`]: () => [nothing('GET', `${I}/notifications`)],
  [`GET ${I}/notifications/:notification_id`]: (w) => [refused('GET', `${I}/notifications/${w.notification}`)],
  [`GET ${I}/webhook-endpoints`]: () => [nothing('GET', `${I}/webhook-endpoints`)],
  [`POST ${I}/webhook-endpoints`]: () => [nothing('POST', `${I}/webhook-endpoints`, { url: 'http://127.0.0.1:9/b' })],
  [`DELETE ${I}/webhook-endpoints/:endpoint_id`]: (w) => [refused('DELETE', `${I}/webhook-endpoints/${w.endpoint}`)],
  [`POST ${I}/webhook-endpoints/:endpoint_id/resume`]: (w) => [refused('POST', `${I}/webhook-endpoints/${w.endpoint}/resume`)],
  [`POST ${I}/webhook-endpoints/:endpoint_id/rotate-secret`]: (w) => [refused('POST', `${I}/webhook-endpoints/${w.endpoint}/rotate-secret`)],
};

const partnerRoutes = InvoiceService.routes(offlineEnv()).filter((r) => r.access === 'partner');

/** The scenarios, on the shared stack of `testing/invoicing.int-spec.ts`. */
export function tenancyScenarios(current: () => InvoiceStack): void {
  beforeAll(() => {
    stack = current();
  });

  describe('invoice-service tenancy', () => {
    it('has a row for every partner route the walk finds', () => {
      expect(Object.keys(TABLE).sort()).toEqual(partnerRoutes.map((r) => `${r.method} ${r.path}`).sort());
    });

    it("refuses partner B and A's salesperson everything of partner A, and changes nothing of it", async () => {
      const a = await stack.createPartner();
      const b = await stack.createPartner();
      await stack.certify(a.partner_id);
      await stack.certify(b.partner_id);
      const member = await stack.operator('POST', `/operator/partners/${a.partner_id}/members`, { body: { name: 'Sally', role: 'salesperson' } });
      const salesKey = (await stack.operator('POST', `/operator/partners/${a.partner_id}/access-keys`, { body: { member_id: member.body.member_id } })).body as PartnerCredentials;
      const asA = stack.partner(a);

      // A's world: invoice information, a list, a payment and a bill invoice, settings, an endpoint, a notification.
      const info = (await asA('POST', `${I}/invoice-information`, { body: { ...infoBody, title: 'Tenant A Ltd.', taxpayer_id: '91110000MA00TENA01' } })).body.invoice_information_id as string;
      await stack.publish(
        IncentivePayoutAppliedV1,
        { application_id: randomUUID(), partner_id: a.partner_id, notice_ids: ['n-a'], period: '2026-09', method: 'bank-transfer', invoice_required: true, amount: '212.00', currency: 'CNY', invoice: { net_amount: '200.00', tax_amount: '12.00', gross_amount: '212.00', tax_rate: '0.06', taxpayer_type: 'general' }, applied_at: '2026-10-01T00:00:00.000Z' },
        { key: a.partner_id, source: '/settle/incentive-service' },
      );
      const paid = await stack.publish(BillPaymentReceivedV1, { payment_id: `pay-${randomUUID()}`, partner_id: a.partner_id, amount: '345.67', currency: 'CNY', paid_at: '2026-10-02T00:00:00.000Z' }, { key: a.partner_id, source: '/settle/billing-service' });
      await stack.processed(ConsumerGroups.InvoiceBillPayments, paid);
      const list = await waitFor(async () => (await asA('GET', `${I}/invoicing-lists`)).body.invoicing_lists?.[0]?.invoicing_list_id as string | undefined, "A's list");
      await asA('PUT', `${I}/message-settings`, { body: { language: 'zh-CN', time_zone: 'Asia/Shanghai', channels: { webhook: { enabled: false } } } });
      const endpoint = (await asA('POST', `${I}/webhook-endpoints`, { body: { url: 'http://127.0.0.1:9/tenant-a' } })).body.endpoint_id as string;
      const billInvoice = (await asA('POST', `${I}/bill-invoices`, { body: { request_id: 'a-1', amount: '300.00' } })).body.bill_invoice_id as string;
      const notification = (await asA('GET', `${I}/notifications`)).body.notifications[0].notification_id as string;
      const world: World = { info, list, billInvoice, endpoint, notification };
      expect(Object.values(world).every(Boolean)).toBe(true);
      expect((await asA('GET', `${I}/bill-invoices/${billInvoice}`)).status).toBe(200);

      const secrets = [a.partner_id, a.access_key, info, list, billInvoice, endpoint, notification, 'Tenant A Ltd.', '345.67', '300.00', 'tenant-a'];
      const failures: unknown[] = [];
      let checked = 0;
      const check = (who: string, probe: Probe, res: ApiResponse, strictlyRefused = false) => {
        checked += 1;
        const sent = JSON.stringify([probe.path, probe.body]);
        const leaked = secrets.filter((s) => !sent.includes(s) && JSON.stringify(res.body ?? '').includes(s));
        const shaped = typeof res.body?.error_code === 'string' && typeof res.body?.error_msg === 'string';
        const mustRefuse = strictlyRefused || probe.expect === 'refused';
        const ok = mustRefuse ? [403, 404].includes(res.status) && shaped && leaked.length === 0 : res.status < 500 && leaked.length === 0;
        if (!ok) failures.push({ who, route: `${probe.method} ${probe.path}`, status: res.status, leaked, body: res.body });
      };
      const asB = stack.partner(b);
      const asSales = stack.partner(salesKey);
      for (const row of Object.values(TABLE)) {
        for (const probe of row(world)) {
          check('partner B', probe, await asB(probe.method, probe.path, { body: probe.body }));
          // A salesperson has no invoice permission: refused on every route, A's own included.
          check("A's salesperson", probe, await asSales(probe.method, probe.path, { body: probe.body }), true);
        }
      }
      expect(failures).toEqual([]);
      expect(checked).toBe(Object.keys(TABLE).length * 2);

      // None reached A's data.
      expect(await stack.dataSource.query(`SELECT title, status FROM invoice_information WHERE id = $1`, [info])).toEqual([{ title: 'Tenant A Ltd.', status: 'valid' }]);
      expect(await stack.dataSource.query(`SELECT status, secret_version FROM webhook_endpoints WHERE id = $1`, [endpoint])).toEqual([{ status: 'active', secret_version: 1 }]);
      expect(await stack.dataSource.query(`SELECT status, submissions FROM invoicing_lists WHERE id = $1`, [list])).toEqual([{ status: 'awaiting-invoice', submissions: 0 }]);
      expect(await stack.dataSource.query(`SELECT invoiced_minor::text FROM invoiceable_balances WHERE partner_id = $1`, [a.partner_id])).toEqual([{ invoiced_minor: '30000' }]);
    }, 180_000);
  });

  describe('invoice-service under malformed input', () => {
    it('answers every malformed id, body and query of every route with a 4xx in the error shape, never a 5xx', async () => {
      const partner = await stack.createPartner();
      // Certified, so the invoicing-list routes get past "not visible yet" to the input itself.
      await stack.certify(partner.partner_id);
      const walk = await walkMalformedInput(stack, partner);
      expect(walk.routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['POST /v2/invoices/invoice-information', 'POST /v2/invoices/bill-invoices', 'PUT /v2/invoices/message-settings']));
      expect(walk.faults).toEqual([]);
      expect(walk.unauthenticated).toEqual([]);
      expect(walk.sent).toBeGreaterThan(walk.routes.length * 10);
    }, 300_000);
  });
}
