import { AssociationType } from '@settle/contracts';

/** One partner's ownership period of a customer, [from, to). */
export interface OwnershipPeriod {
  associationId: string;
  partnerId: string;
  customerId: string;
  associationType: AssociationType;
  from: Date;
  to: Date | null;
}

/**
 * The partner that owned the customer at `at`: the latest period that contains it, if any. The
 * one owner-at rule of billing; callers load a customer's periods once and ask many instants.
 */
export function ownerAt(periods: readonly OwnershipPeriod[], at: Date): OwnershipPeriod | undefined {
  let best: OwnershipPeriod | undefined;
  const t = at.getTime();
  for (const p of periods) {
    if (p.from.getTime() <= t && (p.to === null || p.to.getTime() > t) && (!best || p.from.getTime() > best.from.getTime())) best = p;
  }
  return best;
}
