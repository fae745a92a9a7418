import { InvoiceType } from './invoice-information.entity';

/**
 * The cut-off of the one-valid-invoice-information rule: 2020-08-01, in the platform's time zone
 * (China Standard Time), i.e. 2020-07-31T16:00:00Z.
 */
export const ONE_VALID_SINCE = new Date('2020-08-01T00:00:00+08:00');

/** Each broken rule has its own code (the partner API's conventions: CBC.<number>). */
export const InvoiceInformationErrors = {
  /** Since 2020-08-01 an account holds one valid invoice information: it already has one. */
  OneValidOnly: 'CBC.99007001',
  /** The account held several before 2020-08-01: it keeps them, but may add none. */
  SeveralKeptNoneAdded: 'CBC.99007002',
  /** The title changes only through "manage invoice information" (audited), not an ordinary update. */
  TitleOnlyThroughManage: 'CBC.99007003',
  /** A VAT special invoice needs the enterprise template: bank, account, registered address and phone. */
  VatSpecialNeedsEnterpriseDetails: 'CBC.99007004',
  /** A voided invoice information cannot change. */
  Voided: 'CBC.99007005',
  /** The new title is the title it has. */
  TitleUnchanged: 'CBC.99007006',
} as const;

export type InvoiceInformationErrorCode = (typeof InvoiceInformationErrors)[keyof typeof InvoiceInformationErrors];

export interface RuleBreach {
  code: InvoiceInformationErrorCode;
  message: string;
}

export interface HeldInformation {
  status: 'valid' | 'void';
  createdAt: Date;
}

/**
 * Whether an account may add an invoice information at `now`, given what it holds. Before the
 * cut-off any number; since then only when it holds no valid one. An account that holds several
 * valid ones (it may only have got them before the cut-off) is told so with its own code.
 */
export function checkAddition(now: Date, held: readonly HeldInformation[]): RuleBreach | null {
  if (now < ONE_VALID_SINCE) return null;
  const valid = held.filter((h) => h.status === 'valid');
  if (valid.length === 0) return null;
  if (valid.length > 1) {
    return {
      code: InvoiceInformationErrors.SeveralKeptNoneAdded,
      message: `The account holds ${valid.length} valid invoice information records from before 2020-08-01: it keeps them but may add none, and once it holds none it may add one.`,
    };
  }
  return { code: InvoiceInformationErrors.OneValidOnly, message: 'Since 2020-08-01 an account may hold only one valid invoice information; change it through "manage invoice information" or void it first.' };
}

export interface EnterpriseDetails {
  invoiceType: InvoiceType;
  bankName: string | null;
  bankAccount: string | null;
  registeredAddress: string | null;
  registeredPhone: string | null;
}

/** A VAT special invoice carries the enterprise VAT template; a general one may. */
export function checkTemplate(d: EnterpriseDetails): RuleBreach | null {
  if (d.invoiceType !== 'vat-special') return null;
  const missing = (['bankName', 'bankAccount', 'registeredAddress', 'registeredPhone'] as const).filter((k) => !d[k]);
  if (!missing.length) return null;
  const names: Record<(typeof missing)[number], string> = { bankName: 'bank_name', bankAccount: 'bank_account', registeredAddress: 'registered_address', registeredPhone: 'registered_phone' };
  return { code: InvoiceInformationErrors.VatSpecialNeedsEnterpriseDetails, message: `A VAT special invoice needs the enterprise template: ${missing.map((m) => names[m]).join(', ')} missing.` };
}

/** An ordinary update: never of a voided record, never of the title. */
export function checkUpdate(current: { status: 'valid' | 'void'; title: string }, patch: { title?: string }): RuleBreach | null {
  if (current.status === 'void') return { code: InvoiceInformationErrors.Voided, message: 'This invoice information is void and cannot change.' };
  if (patch.title !== undefined && patch.title !== current.title) {
    return { code: InvoiceInformationErrors.TitleOnlyThroughManage, message: 'The invoice title changes only through "manage invoice information" (PUT …/{id}/title), which is audited.' };
  }
  return null;
}

/** A title change through "manage invoice information". */
export function checkTitleChange(current: { status: 'valid' | 'void'; title: string }, title: string): RuleBreach | null {
  if (current.status === 'void') return { code: InvoiceInformationErrors.Voided, message: 'This invoice information is void and cannot change.' };
  if (title === current.title) return { code: InvoiceInformationErrors.TitleUnchanged, message: 'The new title is the current title.' };
  return null;
}
