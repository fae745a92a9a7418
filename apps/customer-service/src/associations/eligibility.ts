import { AssociationRefusal } from '@settle/contracts';
import { Decimal } from '@settle/money';

/** What the eligibility rules read of a customer's account. */
export interface AccountStanding {
  unclosedResources: number;
  hasArrears: boolean;
  /** Exact decimal string. */
  cashBalance: string;
  hasUninvoicedAmount: boolean;
  postpaid: boolean;
  specialContract: boolean;
}

/**
 * The rules a customer must meet to become a partner's customer: no unclosed resources, no
 * arrears, a zero cash balance, nothing left to invoice, no postpaid settlement, no special
 * contract, and no open association with any partner (one partner at a time). Returns every rule
 * broken, in a fixed order, so the caller can tell the customer everything at once.
 */
export function associationRefusals(standing: AccountStanding, hasOpenAssociation: boolean): AssociationRefusal[] {
  const refusals: AssociationRefusal[] = [];
  if (hasOpenAssociation) refusals.push('AlreadyAssociated');
  if (standing.unclosedResources > 0) refusals.push('UnclosedResources');
  if (standing.hasArrears) refusals.push('Arrears');
  if (!Decimal.of(standing.cashBalance).isZero()) refusals.push('CashBalance');
  if (standing.hasUninvoicedAmount) refusals.push('UninvoicedAmount');
  if (standing.postpaid) refusals.push('Postpaid');
  if (standing.specialContract) refusals.push('SpecialContract');
  return refusals;
}
