import { ApiError } from './api-error';

/**
 * Why a customer cannot join a partner (the eligibility rules of customer association). Each rule
 * has its own code so an integration can tell the customer exactly what to settle first.
 */
export const AssociationRefusals = {
  UnclosedResources: { code: 'CBC.7001', message: 'The customer still has unclosed resources.' },
  Arrears: { code: 'CBC.7002', message: 'The customer has arrears.' },
  CashBalance: { code: 'CBC.7003', message: 'The customer has a cash balance; it must be zero.' },
  UninvoicedAmount: { code: 'CBC.7004', message: 'The customer has amounts left to invoice.' },
  Postpaid: { code: 'CBC.7005', message: 'The customer uses postpaid settlement.' },
  SpecialContract: { code: 'CBC.7006', message: 'The customer has a special commercial contract.' },
  AlreadyAssociated: { code: 'CBC.7007', message: 'The customer is already associated with a partner (one partner at a time).' },
} as const;

export type AssociationRefusal = keyof typeof AssociationRefusals;

/** 409: the customer's current state forbids the association; `reasons` lists every rule broken. */
export class AssociationRefusedError extends ApiError {
  constructor(readonly reasons: AssociationRefusal[]) {
    const first = AssociationRefusals[reasons[0]];
    super(409, first.code, reasons.map((r) => AssociationRefusals[r].message).join(' '), {
      refusals: reasons.map((r) => ({ error_code: AssociationRefusals[r].code, error_msg: AssociationRefusals[r].message })),
    });
  }
}
