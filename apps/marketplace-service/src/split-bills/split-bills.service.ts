import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PartnerScope } from '@settle/auth';
import { BadParameterError, EventData, NotFoundError, SplitBillIssuedV1, SplitSettledV1, StatementConfirmedV1, StatementSplitSectionAttachedV1 } from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { Money } from '@settle/money';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { LOGGER, Logger } from '@settle/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, IsNull, LessThan } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { Order } from '../orders/order.entity';
import { Refund } from '../orders/refund.entity';
import { PartnersService } from '../partners/partners.service';
import { cycleOf, partnerOwed, splitBillTotals } from '../splits/split-bill-arithmetic';
import { SplitBill } from './split-bill.entity';
import { SplitBillLineRow, lineValue, linesOf, partnersWithPendingLines, pendingLines } from './split-bill-lines';
import { lockPartners } from './split-bills-ledger';

const amount = (minor: string | bigint, currency: string) => Money.fromMinor(minor, currency).toString();

/**
 * Split bills: issued per partner, cycle and currency from the lines waiting for them (frozen
 * then; later lines land in later bills), put into the partner's reconciliation statement by
 * billing, and settled once the partner confirmed a revision of that statement that shows them.
 */
@Injectable()
export class SplitBillsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly partners: PartnersService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Operator: issues the split bills of a closed cycle, one transaction per partner and currency
   * (idempotent: a bill issued before is not issued again). Lines of earlier cycles still waiting
   * (a partner without a bill then) enter this one.
   */
  async issue(cycle: string): Promise<SplitBill[]> {
    const now = this.clock.now();
    if (cycle >= cycleOf(now)) throw new BadParameterError(`bill_cycle: ${cycle} is not closed yet; split bills are issued for past cycles.`);
    const pairs = await inSystemScope(this.dataSource, (m) => partnersWithPendingLines(m, cycle));
    const issued: SplitBill[] = [];
    for (const { partner_id, currency } of pairs) {
      const bill = await inSystemScope(this.dataSource, (m) => this.issueOne(m, partner_id, currency, cycle, now));
      if (bill) issued.push(bill);
    }
    this.logger.info({ bill_cycle: cycle, partners: pairs.length, issued: issued.length }, 'split bills issued');
    return issued;
  }

  private async issueOne(m: EntityManager, partnerId: string, currency: string, cycle: string, now: Date): Promise<SplitBill | null> {
    await lockPartners(m, [partnerId]);
    if (await m.findOneBy(SplitBill, { partnerId, billCycle: cycle, currency })) return null;
    const lines: SplitBillLineRow[] = await pendingLines(m, partnerId, currency, cycle);
    if (lines.length === 0) return null;
    const totals = splitBillTotals(currency, lines.map(lineValue));
    // What earlier settled bills owed back enters this one, once.
    const owingBack = await m.find(SplitBill, { where: { partnerId, currency, status: 'settled', partnerMinor: LessThan('0'), carriedTo: IsNull() } });
    const carriedIn = Money.sum(owingBack.map((b) => Money.fromMinor(b.partnerMinor, currency)), currency);
    const { owed } = partnerOwed(totals, carriedIn);
    const bill: SplitBill = {
      id: randomUUID(),
      partnerId,
      billCycle: cycle,
      currency,
      orderAmountMinor: totals.amount.minor.toString(),
      platformMinor: totals.platform.minor.toString(),
      sellerMinor: totals.seller.minor.toString(),
      partnerMinor: owed.minor.toString(),
      carriedInMinor: carriedIn.minor.toString(),
      carriedTo: null,
      orderCount: totals.orderCount,
      refundCount: totals.refundCount,
      status: 'issued',
      issuedAt: now,
      statementId: null,
      statementRevision: null,
      settledAt: null,
      settledAmountMinor: null,
    };
    await m.insert(SplitBill, bill);
    if (owingBack.length) await m.update(SplitBill, { id: In(owingBack.map((b) => b.id)), carriedTo: IsNull() }, { carriedTo: bill.id });
    const orderIds = lines.filter((l) => l.kind === 'order').map((l) => l.line_id);
    const refundIds = lines.filter((l) => l.kind === 'refund').map((l) => l.line_id);
    if (orderIds.length) await m.update(Order, { orderId: In(orderIds), splitBillId: IsNull() }, { splitBillId: bill.id, billCycle: cycle });
    if (refundIds.length) await m.update(Refund, { refundId: In(refundIds), splitBillId: IsNull() }, { splitBillId: bill.id, billCycle: cycle });
    await this.outbox.append(
      m,
      SplitBillIssuedV1,
      {
        split_bill_id: bill.id,
        partner_id: partnerId,
        bill_cycle: cycle,
        currency,
        order_amount: totals.amount.toString(),
        platform_amount: totals.platform.toString(),
        seller_amount: totals.seller.toString(),
        partner_amount: owed.toString(),
        carried_amount: carriedIn.toString(),
        order_count: totals.orderCount,
        refund_count: totals.refundCount,
        issued_at: now.toISOString(),
      },
      { partitionKey: partnerId, subject: bill.id, occurredAt: now },
    );
    return bill;
  }

  /** billing put the bill into a statement: remember the statement and the first revision showing it. */
  async attached(m: EntityManager, d: EventData<typeof StatementSplitSectionAttachedV1>): Promise<boolean> {
    const result = await m.update(
      SplitBill,
      { id: d.split_bill_id, partnerId: d.partner_id, statementId: IsNull() },
      { statementId: d.statement_id, statementRevision: d.revision },
    );
    return (result.affected ?? 0) > 0;
  }

  /**
   * The partner confirmed a revision of a statement: every split bill that revision shows, not
   * settled yet, is settled now, once — a redelivered or replayed confirmation finds them settled.
   * What the partner is owed (more than zero) is published as split-settled; a bill owing nothing
   * settles without a payment, and what it owes back is carried into the partner's next bill.
   */
  async confirmed(m: EntityManager, d: EventData<typeof StatementConfirmedV1>): Promise<SplitBill[]> {
    const bills = await m
      .createQueryBuilder(SplitBill, 'b')
      .where('b.statement_id = :statement AND b.partner_id = :partner AND b.statement_revision <= :revision AND b.status = :status', {
        statement: d.statement_id,
        partner: d.partner_id,
        revision: d.revision,
        status: 'issued',
      })
      .orderBy('b.bill_cycle')
      .setLock('pessimistic_write')
      .getMany();
    const settledAt = new Date(d.confirmed_at);
    for (const bill of bills) {
      const carried = Money.fromMinor(bill.carriedInMinor, bill.currency);
      const { payable } = partnerOwed({ partner: Money.fromMinor(bill.partnerMinor, bill.currency).minus(carried) }, carried);
      const credited = payable.minor;
      await m.update(SplitBill, { id: bill.id }, { status: 'settled', settledAt, settledAmountMinor: credited.toString() });
      if (credited > 0n) {
        await this.outbox.append(
          m,
          SplitSettledV1,
          {
            settlement_id: bill.id,
            partner_id: bill.partnerId,
            statement_id: d.statement_id,
            amount: amount(credited, bill.currency),
            currency: bill.currency,
            order_count: bill.orderCount,
            settled_at: settledAt.toISOString(),
          },
          { partitionKey: bill.partnerId, subject: bill.id },
        );
      }
      Object.assign(bill, { status: 'settled', settledAt, settledAmountMinor: credited.toString() });
    }
    return bills;
  }

  /** The partner's split bills (program partners only). */
  async list(scope: PartnerScope, q: { billCycle?: string; offset: number; limit: number }): Promise<[SplitBill[], number]> {
    await this.partners.requireProgramPartner(scope);
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => this.page(m, { ...q, partnerId: scope.partnerId }));
  }

  operatorList(q: { partnerId?: string; billCycle?: string; offset: number; limit: number }): Promise<[SplitBill[], number]> {
    return inSystemScope(this.dataSource, (m) => this.page(m, q));
  }

  private page(m: EntityManager, q: { partnerId?: string; billCycle?: string; offset: number; limit: number }): Promise<[SplitBill[], number]> {
    return m.getRepository(SplitBill).findAndCount({ where: { partnerId: q.partnerId, billCycle: q.billCycle }, order: { billCycle: 'DESC', currency: 'ASC' }, skip: q.offset, take: q.limit });
  }

  /** One of the partner's split bills with a page of its lines (404 for anyone else's). */
  async get(scope: PartnerScope, id: string, page: { offset: number; limit: number }): Promise<{ bill: SplitBill; lines: SplitBillLineRow[] }> {
    await this.partners.requireProgramPartner(scope);
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const bill = await m.findOneBy(SplitBill, { id, partnerId: scope.partnerId });
      if (!bill) throw new NotFoundError(`Split bill ${id} does not exist.`);
      return { bill, lines: await linesOf(m, id, page) };
    });
  }

  /** The bill in the caller's (partner-scoped) transaction, for an export. */
  findInScope(m: EntityManager, partnerId: string, id: string): Promise<SplitBill | null> {
    return m.findOneBy(SplitBill, { id, partnerId });
  }
}
