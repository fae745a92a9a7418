import { Money } from '@settle/money';
import { PolicyVersion } from '../../policies/policy-rules';
import { EligibleEntry, NoticeCalculation, PeriodEntries } from '../notice-calculation';

/** Builders for the notice scenarios (test data only). */
export const EC2 = 'hws.service.type.ec2';
export const OBS = 'hws.service.type.obs';

export function policy(overrides: Partial<PolicyVersion> = {}): PolicyVersion {
  return {
    policyId: 'pol-1',
    code: 'INC-CONSULT-1',
    name: 'Consultant-sale incentive',
    version: 1,
    partnerKinds: ['reseller'],
    partnerLevels: [],
    serviceTypeCodes: [EC2, OBS],
    associationTypes: [1],
    currency: 'CNY',
    rate: { kind: 'flat', rate: '0.10' },
    newCustomerBonusRate: null,
    cap: null,
    discountAllowed: true,
    effectiveFrom: '2025-01',
    effectiveTo: null,
    ...overrides,
  };
}

let n = 0;
export function entry(amount: string, overrides: Partial<Omit<EligibleEntry, 'amount'>> & { currency?: string } = {}): EligibleEntry {
  n += 1;
  const currency = overrides.currency ?? 'CNY';
  return { customerId: 'c-1', associationType: 1, serviceTypeCode: EC2, period: '2025-05', sourceRef: `bill:b-${n}`, ...overrides, currency, amount: Money.of(amount, currency) };
}

export function period(p: string, added: EligibleEntry[], issued: EligibleEntry[] = [], newCustomerIds: string[] = []): PeriodEntries {
  return { period: p, added, issued, newCustomerIds: new Set(newCustomerIds) };
}

export const reseller = { kind: 'reseller', level: 'certified' };

/** A notice's lines as plain rows for exact comparison. */
export function rows(notice: NoticeCalculation) {
  return notice.lines.map((l) => [l.kind, l.period, `${l.policyCode}@${l.policyVersion}`, l.serviceTypeCode, l.eligibleAmount.toString(), l.incentiveAmount.toString()]);
}
