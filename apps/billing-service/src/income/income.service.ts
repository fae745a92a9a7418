import { Injectable } from '@nestjs/common';
import { IncentivePayoutReleasedV1, SplitSettledV1 } from '@settle/contracts';
import { RejectedEventError } from '@settle/messaging';
import { Money } from '@settle/money';
import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { partnerAccount, platformAccount } from '../ledger/accounts.service';
import { LedgerService, Posted } from '../ledger/ledger.service';
import { Statement } from '../statements/statement.entity';

type PayoutReleased = z.infer<typeof IncentivePayoutReleasedV1.schema>;
type SplitSettled = z.infer<typeof SplitSettledV1.schema>;

/** What an incoming payment did to the ledger. */
export type IncomeOutcome = 'posted' | 'already-posted' | 'no-ledger-movement';

/**
 * Money other services pay into partner accounts, each as one ledger entry whose idempotency key
 * is the payment's own id (not the event's): a payout or settlement re-published under another
 * event id still moves money once. A payment that arrives again with different terms (amount,
 * currency, partner) is refused rather than silently ignored.
 */
@Injectable()
export class IncomeService {
  constructor(private readonly ledger: LedgerService) {}

  /** An incentive payout returned to the recharge account: platform `incentive-payouts` → partner cash. */
  async payoutReleased(m: EntityManager, data: PayoutReleased, eventId: string): Promise<IncomeOutcome> {
    if (data.method !== 'recharge-account') return 'no-ledger-movement';
    const amount = Money.of(data.amount, data.currency);
    const posted = await this.ledger.post(m, {
      entryType: 'incentive-payout',
      idempotencyKey: `incentive-payout-${data.payout_id}`,
      partnerId: data.partner_id,
      memo: `incentive payout ${data.payout_id} for ${data.period}`,
      createdBy: `event:${eventId}`,
      postings: [
        { account: platformAccount('incentive-payouts', amount.currencyCode), amount: amount.negate() },
        { account: partnerAccount(data.partner_id, 'cash', amount.currencyCode), amount },
      ],
    });
    return this.outcome(posted, data.partner_id, amount, `incentive payout ${data.payout_id}`);
  }

  /**
   * The partner's share of a split settlement: platform `marketplace-settlements` → partner cash,
   * only for a confirmed statement of that partner in that currency (only a confirmed statement
   * proceeds to settlement). The statement row is read under a share lock, so a reissue cannot
   * slip between the check and the entry.
   */
  async splitSettled(m: EntityManager, data: SplitSettled, eventId: string): Promise<IncomeOutcome> {
    const statement = await m.findOne(Statement, { where: { id: data.statement_id }, lock: { mode: 'pessimistic_read' } });
    if (!statement || statement.partnerId !== data.partner_id) {
      throw new RejectedEventError(`split settlement ${data.settlement_id}: partner ${data.partner_id} has no reconciliation statement ${data.statement_id}.`);
    }
    if (statement.status !== 'confirmed') {
      throw new RejectedEventError(`split settlement ${data.settlement_id}: statement ${data.statement_id} is ${statement.status}; only a confirmed statement proceeds to settlement.`);
    }
    if (statement.currency !== data.currency) {
      throw new RejectedEventError(`split settlement ${data.settlement_id} is in ${data.currency} but statement ${data.statement_id} is in ${statement.currency}.`);
    }
    const amount = Money.of(data.amount, data.currency);
    const posted = await this.ledger.post(m, {
      entryType: 'split-settlement',
      idempotencyKey: `split-settlement-${data.settlement_id}`,
      partnerId: data.partner_id,
      memo: `split settlement ${data.settlement_id} of statement ${data.statement_id} (${statement.billCycle})`,
      createdBy: `event:${eventId}`,
      postings: [
        { account: platformAccount('marketplace-settlements', amount.currencyCode), amount: amount.negate() },
        { account: partnerAccount(data.partner_id, 'cash', amount.currencyCode), amount },
      ],
    });
    return this.outcome(posted, data.partner_id, amount, `split settlement ${data.settlement_id}`);
  }

  private outcome(posted: Posted, partnerId: string, amount: Money, what: string): IncomeOutcome {
    if (posted.created) return 'posted';
    const credited = posted.postings.find((p) => BigInt(p.amountMinor) > 0n);
    const same = posted.entry.partnerId === partnerId && credited !== undefined && credited.currency === amount.currencyCode && BigInt(credited.amountMinor) === amount.minor;
    if (!same) {
      const before = credited ? `${Money.fromMinor(credited.amountMinor, credited.currency).toString()} ${credited.currency} to partner ${posted.entry.partnerId}` : 'differently';
      throw new RejectedEventError(`${what} was already paid ${before}; it cannot be paid again as ${amount.toString()} ${amount.currencyCode} to partner ${partnerId}.`);
    }
    return 'already-posted';
  }
}
