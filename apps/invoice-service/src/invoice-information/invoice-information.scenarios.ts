import { randomUUID } from 'node:crypto';
import { InvoiceStack } from '../testing/invoice-stack';

/**
 * Invoice information (issue 11, capability 1) on the real stack: since 2020-08-01 an account holds
 * one valid invoice information; an account that held several before that date keeps them and may
 * add none; a title changes only through "manage invoice information", audited; each broken rule
 * answers its own code; partners never see each other's records.
 */
let stack: InvoiceStack;

const general = {
  title: 'Acme Cloud Ltd.',
  taxpayer_id: '91310000MA1FL0001X',
  invoice_type: 'vat-general',
  mailing_recipient: 'Li Lei',
  mailing_phone: '021-5555-0101',
  mailing_address: '88 Century Avenue, Pudong, Shanghai',
};
const enterprise = { bank_name: 'Bank of China Shanghai Branch', bank_account: '4563 5100 0000 0001', registered_address: '88 Century Avenue, Shanghai', registered_phone: '021-5555-0100' };

/**
 * Records an account held before 2020-08-01, as they were migrated from the former system: rows of
 * the current schema with their original creation time (no API creates the past).
 */
async function heldBefore(partnerId: string, createdAt: string[]): Promise<string[]> {
  const ids = createdAt.map(() => randomUUID());
  for (const [i, at] of createdAt.entries()) {
    await stack.dataSource.query(
      `INSERT INTO invoice_information (id, partner_id, title, taxpayer_id, invoice_type, mailing_recipient, mailing_phone, mailing_address, status, created_at, created_by, updated_at, updated_by)
       VALUES ($1, $2, $3, '91110000MA00LEGACY', 'vat-general', 'Han Meimei', '010-1234-5678', '1 Old Street, Beijing', 'valid', $4, 'migration', $4, 'migration')`,
      [ids[i], partnerId, `Legacy title ${i + 1}`, at],
    );
  }
  return ids;
}

/** The scenarios, on the shared stack of `testing/invoicing.int-spec.ts`. */
export function invoiceInformationScenarios(current: () => InvoiceStack): void {
  beforeAll(() => {
    stack = current();
  });

  describe('invoice information', () => {
    it('holds one valid invoice information per account since 2020-08-01, with its own code for a second', async () => {
      const partner = await stack.createPartner();
      const call = stack.partner(partner);
      const first = await call('POST', '/v2/invoices/invoice-information', { body: general });
      expect(first).toMatchObject({ status: 201, body: { title: general.title, invoice_type: 'vat-general', status: 'valid', bank_name: null } });
      const second = await call('POST', '/v2/invoices/invoice-information', { body: { ...general, title: 'Acme Second' } });
      expect(second).toMatchObject({ status: 409, body: { error_code: 'CBC.99007001' } });
      const listed = await call('GET', '/v2/invoices/invoice-information');
      expect(listed.body).toMatchObject({ total_count: 1, valid_count: 1, may_add: false });

      // Voided, the account holds none valid and may add one again.
      const voided = await call('DELETE', `/v2/invoices/invoice-information/${first.body.invoice_information_id}`);
      expect(voided.body).toMatchObject({ status: 'void' });
      expect((await call('GET', '/v2/invoices/invoice-information')).body).toMatchObject({ total_count: 1, valid_count: 0, may_add: true });
      const again = await call('POST', '/v2/invoices/invoice-information', { body: { ...general, invoice_type: 'vat-special', ...enterprise } });
      expect(again).toMatchObject({ status: 201, body: { invoice_type: 'vat-special', bank_name: enterprise.bank_name } });
      // A void record cannot change.
      const changeVoid = await call('PUT', `/v2/invoices/invoice-information/${first.body.invoice_information_id}`, { body: { mailing_address: 'elsewhere 1' } });
      expect(changeVoid).toMatchObject({ status: 400, body: { error_code: 'CBC.99007005' } });
    });

    it('lets only one of concurrent additions of an account through', async () => {
      const partner = await stack.createPartner();
      const call = stack.partner(partner);
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => call('POST', '/v2/invoices/invoice-information', { body: { ...general, title: `Concurrent ${i}` } })));
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      const [{ n }] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM invoice_information WHERE partner_id = $1 AND status = 'valid'`, [partner.partner_id]);
      expect(n).toBe(1);
    });

    it('keeps the several records an account held before 2020-08-01, lets it change them, and refuses any new one with its own code', async () => {
      const partner = await stack.createPartner();
      const call = stack.partner(partner);
      const [oldest, , newest] = await heldBefore(partner.partner_id, ['2019-03-01T02:00:00.000Z', '2020-05-20T02:00:00.000Z', '2020-07-31T15:59:59.000Z']);
      const listed = await call('GET', '/v2/invoices/invoice-information');
      expect(listed.body).toMatchObject({ total_count: 3, valid_count: 3, may_add: false });
      expect(listed.body.invoice_information.map((i: { title: string }) => i.title)).toEqual(['Legacy title 1', 'Legacy title 2', 'Legacy title 3']);

      const added = await call('POST', '/v2/invoices/invoice-information', { body: general });
      expect(added).toMatchObject({ status: 409, body: { error_code: 'CBC.99007002', error_msg: expect.stringContaining('3 valid') } });

      // It keeps them: they can still be changed (not the title outside "manage") and managed.
      const moved = await call('PUT', `/v2/invoices/invoice-information/${oldest}`, { body: { mailing_address: '2 New Street, Beijing' } });
      expect(moved).toMatchObject({ status: 200, body: { mailing_address: '2 New Street, Beijing', status: 'valid' } });
      // Voiding two leaves one: the account is then an ordinary one-valid account.
      expect((await call('DELETE', `/v2/invoices/invoice-information/${oldest}`)).body).toMatchObject({ status: 'void' });
      expect((await call('DELETE', `/v2/invoices/invoice-information/${newest}`)).body).toMatchObject({ status: 'void' });
      // (Another title: the gateway answers a repeated signed request within its second with the first answer.)
      const afterVoids = await call('POST', '/v2/invoices/invoice-information', { body: { ...general, title: 'After the voids' } });
      expect(afterVoids).toMatchObject({ status: 409, body: { error_code: 'CBC.99007001' } });
    });

    it('changes a title only through "manage invoice information", audited with who, when and why', async () => {
      const partner = await stack.createPartner();
      const call = stack.partner(partner);
      const created = await call('POST', '/v2/invoices/invoice-information', { body: general });
      const id = created.body.invoice_information_id as string;

      const direct = await call('PUT', `/v2/invoices/invoice-information/${id}`, { body: { title: 'Acme Renamed Ltd.' } });
      expect(direct).toMatchObject({ status: 400, body: { error_code: 'CBC.99007003' } });
      const managed = await call('PUT', `/v2/invoices/invoice-information/${id}/title`, { body: { title: 'Acme Renamed Ltd.', reason: 'company renamed' } });
      expect(managed).toMatchObject({ status: 200, body: { title: 'Acme Renamed Ltd.' } });
      const same = await call('PUT', `/v2/invoices/invoice-information/${id}/title`, { body: { title: 'Acme Renamed Ltd.' } });
      expect(same).toMatchObject({ status: 409, body: { error_code: 'CBC.99007006' } });
      // The same title in an ordinary update is no title change.
      const sameTitle = await call('PUT', `/v2/invoices/invoice-information/${id}`, { body: { title: 'Acme Renamed Ltd.', mailing_phone: '021-5555-0199' } });
      expect(sameTitle).toMatchObject({ status: 200, body: { mailing_phone: '021-5555-0199' } });

      const audit = await call('GET', `/v2/invoices/invoice-information/${id}/audit`);
      expect(audit.body.records.map((r: { action: string }) => r.action)).toEqual(['created', 'title-changed', 'updated']);
      expect(audit.body.records[1]).toMatchObject({
        before: { title: general.title },
        after: { title: 'Acme Renamed Ltd.' },
        reason: 'company renamed',
        by: `partner:${partner.access_key}`,
      });
      expect(audit.body.records[2]).toMatchObject({ before: { mailingPhone: general.mailing_phone }, after: { mailingPhone: '021-5555-0199' } });
    });

    it('answers each broken template rule with its own code, and bad input with CBC.0100', async () => {
      const partner = await stack.createPartner();
      const call = stack.partner(partner);
      const special = await call('POST', '/v2/invoices/invoice-information', { body: { ...general, invoice_type: 'vat-special', bank_name: 'ICBC' } });
      expect(special).toMatchObject({ status: 400, body: { error_code: 'CBC.99007004', error_msg: expect.stringContaining('bank_account') } });
      const badTaxpayer = await call('POST', '/v2/invoices/invoice-information', { body: { ...general, taxpayer_id: 'not-an-id' } });
      expect(badTaxpayer).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
      const created = await call('POST', '/v2/invoices/invoice-information', { body: general });
      const toSpecial = await call('PUT', `/v2/invoices/invoice-information/${created.body.invoice_information_id}`, { body: { invoice_type: 'vat-special' } });
      expect(toSpecial).toMatchObject({ status: 400, body: { error_code: 'CBC.99007004' } });
    });

    it("never shows or changes another partner's invoice information", async () => {
      const a = await stack.createPartner();
      const b = await stack.createPartner();
      const created = await stack.partner(a)('POST', '/v2/invoices/invoice-information', { body: general });
      const id = created.body.invoice_information_id as string;
      const other = stack.partner(b);
      expect((await other('GET', `/v2/invoices/invoice-information/${id}`)).status).toBe(404);
      expect((await other('PUT', `/v2/invoices/invoice-information/${id}/title`, { body: { title: 'Hijacked' } })).status).toBe(404);
      expect((await other('DELETE', `/v2/invoices/invoice-information/${id}`)).status).toBe(404);
      expect((await other('GET', '/v2/invoices/invoice-information')).body).toMatchObject({ total_count: 0 });
      expect((await stack.partner(a)('GET', `/v2/invoices/invoice-information/${id}`)).body).toMatchObject({ title: general.title, status: 'valid' });
      const operator = await stack.operator('GET', '/operator/invoices/invoice-information', { query: { partner_id: a.partner_id } });
      expect(operator.body).toMatchObject({ total_count: 1, invoice_information: [{ partner_id: a.partner_id, invoice_information_id: id }] });
    });
  });
}
