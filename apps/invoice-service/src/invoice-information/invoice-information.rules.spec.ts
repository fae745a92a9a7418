import { InvoiceInformationErrors, ONE_VALID_SINCE, checkAddition, checkTemplate, checkTitleChange, checkUpdate } from './invoice-information.rules';

const at = (iso: string) => new Date(iso);
const valid = (createdAt: string) => ({ status: 'valid' as const, createdAt: at(createdAt) });
const voided = (createdAt: string) => ({ status: 'void' as const, createdAt: at(createdAt) });

describe('the one-valid-invoice-information rule', () => {
  it('starts on 2020-08-01 in China Standard Time', () => {
    expect(ONE_VALID_SINCE.toISOString()).toBe('2020-07-31T16:00:00.000Z');
  });

  it('lets an account add any number before 2020-08-01', () => {
    expect(checkAddition(at('2020-07-31T15:59:59.999Z'), [valid('2019-01-01T00:00:00Z'), valid('2020-03-01T00:00:00Z')])).toBeNull();
  });

  it('lets an account without a valid one add one since 2020-08-01, whatever it voided', () => {
    expect(checkAddition(at('2026-01-01T00:00:00Z'), [])).toBeNull();
    expect(checkAddition(at('2026-01-01T00:00:00Z'), [voided('2019-01-01T00:00:00Z'), voided('2021-01-01T00:00:00Z')])).toBeNull();
  });

  it('refuses a second valid one since 2020-08-01 with its own code', () => {
    expect(checkAddition(at('2020-07-31T16:00:00.000Z'), [valid('2020-07-01T00:00:00Z')])?.code).toBe(InvoiceInformationErrors.OneValidOnly);
    expect(checkAddition(at('2026-01-01T00:00:00Z'), [valid('2025-01-01T00:00:00Z'), voided('2024-01-01T00:00:00Z')])?.code).toBe(InvoiceInformationErrors.OneValidOnly);
  });

  it('tells an account that kept several from before the cut-off that it may add none, with another code', () => {
    const breach = checkAddition(at('2026-01-01T00:00:00Z'), [valid('2019-05-01T00:00:00Z'), valid('2020-06-01T00:00:00Z'), valid('2020-07-30T00:00:00Z')]);
    expect(breach?.code).toBe(InvoiceInformationErrors.SeveralKeptNoneAdded);
    expect(breach?.message).toContain('3 valid');
  });
});

describe('invoice information changes', () => {
  it('requires the enterprise template for a VAT special invoice only', () => {
    const none = { bankName: null, bankAccount: null, registeredAddress: null, registeredPhone: null };
    expect(checkTemplate({ invoiceType: 'vat-general', ...none })).toBeNull();
    const breach = checkTemplate({ invoiceType: 'vat-special', ...none, bankName: 'ICBC' });
    expect(breach).toEqual({ code: InvoiceInformationErrors.VatSpecialNeedsEnterpriseDetails, message: expect.stringContaining('bank_account, registered_address, registered_phone') });
    expect(checkTemplate({ invoiceType: 'vat-special', bankName: 'ICBC', bankAccount: '6222', registeredAddress: 'Beijing', registeredPhone: '010-1' })).toBeNull();
  });

  it('sends a title change to "manage invoice information" and refuses changes of a void record', () => {
    expect(checkUpdate({ status: 'valid', title: 'Acme' }, { title: 'Acme' })).toBeNull();
    expect(checkUpdate({ status: 'valid', title: 'Acme' }, {})).toBeNull();
    expect(checkUpdate({ status: 'valid', title: 'Acme' }, { title: 'Acme Ltd' })?.code).toBe(InvoiceInformationErrors.TitleOnlyThroughManage);
    expect(checkUpdate({ status: 'void', title: 'Acme' }, {})?.code).toBe(InvoiceInformationErrors.Voided);
    expect(checkTitleChange({ status: 'valid', title: 'Acme' }, 'Acme Ltd')).toBeNull();
    expect(checkTitleChange({ status: 'valid', title: 'Acme' }, 'Acme')?.code).toBe(InvoiceInformationErrors.TitleUnchanged);
    expect(checkTitleChange({ status: 'void', title: 'Acme' }, 'Acme Ltd')?.code).toBe(InvoiceInformationErrors.Voided);
  });
});
