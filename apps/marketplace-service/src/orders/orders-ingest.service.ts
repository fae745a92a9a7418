import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventData, OrderPaidV1, OrderRefundedV1 } from '@settle/contracts';
import { Money } from '@settle/money';
import { inSystemScope, insertEntities } from '@settle/persistence';
import { LOGGER, Logger } from '@settle/platform';
import { DataSource, EntityManager, In } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { ProductsService } from '../products/products.service';
import { ReferralsService } from '../referrals/referrals.service';
import { SplitBillsLedger } from '../split-bills/split-bills-ledger';
import { SplitParts, refundReversal, splitOrder } from '../splits/split-arithmetic';
import { cycleOf, lineCycle } from '../splits/split-bill-arithmetic';
import { selectSplitRule } from '../splits/split-rules';
import { SplitRulesService } from '../splits/split-rules.service';
import { OrderRejectedError } from './order-rejected.error';
import { Order, ReferralStatus } from './order.entity';
import { Refund } from './refund.entity';

export type OrderPaid = EventData<typeof OrderPaidV1>;
export type OrderRefunded = EventData<typeof OrderRefundedV1>;
export interface IngestSource {
  kind: 'kafka' | 'http';
  eventId?: string;
}

/** One item's outcome: booked (attributed to a partner or not), seen before, or refused with the reason (nothing written). */
export type OrderOutcome = 'attributed' | 'unattributed' | 'duplicate' | { rejected: string };
export type RefundOutcome = 'reversed' | 'duplicate' | { rejected: string };

const partsOf = (o: Pick<Order, 'platformMinor' | 'sellerMinor' | 'partnerMinor' | 'currency'>): SplitParts => ({
  platform: Money.fromMinor(o.platformMinor, o.currency),
  seller: Money.fromMinor(o.sellerMinor, o.currency),
  partner: Money.fromMinor(o.partnerMinor, o.currency),
});

/**
 * Orders and refunds, the same for Kafka and HTTP backfill, a batch at a time: each stored once
 * (order_id / refund_id are the idempotency keys), the order split by its rule (pure
 * `splitOrder`), the refund reversing each share (pure `refundReversal`, cumulative, never beyond
 * the order). A referral token is verified against the order's product and payment time; a token
 * that does not verify attributes nothing and its reason stays on the order. Partner lines land in
 * the cycle of the partner's next split bill not yet issued (`lineCycle`); the batch holds the
 * partners' advisory locks so that issuing a bill and booking a line never miss each other.
 */
@Injectable()
export class OrdersIngestService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly products: ProductsService,
    private readonly rules: SplitRulesService,
    private readonly referrals: ReferralsService,
    private readonly ledger: SplitBillsLedger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async ingestOrders(m: EntityManager, items: readonly { data: OrderPaid; source: IngestSource }[]): Promise<OrderOutcome[]> {
    const outcomes: OrderOutcome[] = new Array(items.length);
    const products = await this.products.byIds(m, items.map((i) => i.data.product_id));
    const rules = await this.rules.all(m);
    const seen = new Set<string>();
    const now = this.clock.now();
    const rows: { index: number; row: Order }[] = [];
    items.forEach(({ data, source }, index) => {
      if (seen.has(data.order_id)) return void (outcomes[index] = 'duplicate');
      const product = products.get(data.product_id);
      if (!product) return void (outcomes[index] = { rejected: `order ${data.order_id}: product ${data.product_id} is not a marketplace product.` });
      if (product.currency !== data.currency) return void (outcomes[index] = { rejected: `order ${data.order_id} is in ${data.currency} but product ${product.productId} is sold in ${product.currency}.` });
      const paidAt = new Date(data.paid_at);
      const rule = selectSplitRule(rules, { productId: product.productId, category: product.category, strictSelection: product.strictSelection, at: paidAt });
      if (!rule) return void (outcomes[index] = { rejected: `order ${data.order_id}: no split rule applies to product ${product.productId} (category ${product.category}) at ${data.paid_at}; an operator adds one, then the order is replayed.` });
      const verification = data.referral_token === undefined ? undefined : this.referrals.verify(data.referral_token, product.productId, paidAt);
      const partnerId = verification?.ok ? verification.claims.partnerId : null;
      const split = splitOrder(Money.of(data.amount, data.currency), rule, partnerId !== null);
      seen.add(data.order_id);
      rows.push({
        index,
        row: {
          orderId: data.order_id,
          productId: product.productId,
          customerId: data.customer_id,
          amountMinor: Money.of(data.amount, data.currency).minor.toString(),
          currency: data.currency,
          paidAt,
          partnerId,
          referralStatus: verification === undefined ? 'none' : verification.ok ? 'attributed' : 'rejected',
          referralRejection: verification && !verification.ok ? verification.reason : null,
          referralKid: verification?.ok ? verification.kid : null,
          ruleId: rule.id,
          platformMinor: split.platform.minor.toString(),
          sellerMinor: split.seller.minor.toString(),
          partnerMinor: split.partner.minor.toString(),
          refundedMinor: '0',
          billCycle: cycleOf(paidAt),
          splitBillId: null,
          source: source.kind,
          sourceEventId: source.eventId ?? null,
          receivedAt: now,
        },
      });
    });
    if (rows.length === 0) return outcomes;
    const attributed = rows.filter((r) => r.row.partnerId !== null);
    const lastIssued = await this.ledger.lockAndLastIssued(m, attributed.map((r) => ({ partnerId: r.row.partnerId as string, currency: r.row.currency })));
    for (const { row } of attributed) row.billCycle = lineCycle(row.paidAt, lastIssued(row.partnerId as string, row.currency));
    const inserted = await insertEntities<Order, { order_id: string }>(m, Order, rows.map((r) => r.row), { onConflict: '(order_id) DO NOTHING', returning: 'order_id' });
    const fresh = new Set(inserted.map((r) => r.order_id));
    for (const { index, row } of rows) outcomes[index] = !fresh.has(row.orderId) ? 'duplicate' : row.partnerId ? 'attributed' : 'unattributed';
    const rejectedTokens = rows.filter((r) => fresh.has(r.row.orderId) && r.row.referralStatus === 'rejected');
    this.logger.info({ orders: items.length, booked: fresh.size, attributed: attributed.filter((r) => fresh.has(r.row.orderId)).length, referral_rejected: rejectedTokens.length }, 'marketplace orders booked');
    if (rejectedTokens.length) {
      this.logger.warn({ rejected: rejectedTokens.slice(0, 20).map((r) => ({ order_id: r.row.orderId, reason: r.row.referralRejection })) }, 'referral tokens that attribute nothing');
    }
    return outcomes;
  }

  /**
   * Refunds in the caller's transaction, after their orders (locked, in a fixed order). A refund
   * of an order not received throws a retryable OrderRejectedError (the order may be a moment
   * behind); one beyond what is left of its order, or in another currency, is refused.
   */
  async ingestRefunds(m: EntityManager, items: readonly { data: OrderRefunded; source: IngestSource }[]): Promise<RefundOutcome[]> {
    const outcomes: RefundOutcome[] = new Array(items.length);
    const orderIds = [...new Set(items.map((i) => i.data.order_id))].sort();
    const orders = new Map<string, Order>();
    if (orderIds.length) {
      const locked = await m.createQueryBuilder(Order, 'o').where('o.order_id IN (:...ids)', { ids: orderIds }).orderBy('o.order_id').setLock('pessimistic_write').getMany();
      for (const o of locked) orders.set(o.orderId, o);
    }
    const missing = items.find((i) => !orders.has(i.data.order_id));
    if (missing) throw new OrderRejectedError(`refund ${missing.data.refund_id} names order ${missing.data.order_id}, which marketplace has not received.`, true);
    const known = new Set(
      (await m.find(Refund, { select: { refundId: true }, where: { refundId: In(items.map((i) => i.data.refund_id)) } })).map((r) => r.refundId),
    );
    const partnerOrders = [...orders.values()].filter((o) => o.partnerId !== null);
    const lastIssued = await this.ledger.lockAndLastIssued(m, partnerOrders.map((o) => ({ partnerId: o.partnerId as string, currency: o.currency })));
    const now = this.clock.now();
    const refundedSoFar = new Map([...orders.values()].map((o) => [o.orderId, BigInt(o.refundedMinor)]));
    const rows: Refund[] = [];
    items.forEach(({ data, source }, index) => {
      if (known.has(data.refund_id)) return void (outcomes[index] = 'duplicate');
      const order = orders.get(data.order_id) as Order;
      if (data.currency !== order.currency) return void (outcomes[index] = { rejected: `refund ${data.refund_id} is in ${data.currency} but order ${order.orderId} is in ${order.currency}.` });
      const before = refundedSoFar.get(order.orderId) as bigint;
      const amount = Money.of(data.amount, data.currency);
      if (before + amount.minor > BigInt(order.amountMinor)) {
        const left = Money.fromMinor(BigInt(order.amountMinor) - before, order.currency);
        return void (outcomes[index] = { rejected: `refund ${data.refund_id} of ${amount.toString()} ${order.currency} exceeds what is left of order ${order.orderId} (${left.toString()}): refunds never exceed the order.` });
      }
      const reversal = refundReversal(partsOf(order), Money.fromMinor(before, order.currency), amount);
      refundedSoFar.set(order.orderId, before + amount.minor);
      known.add(data.refund_id);
      const refundedAt = new Date(data.refunded_at);
      const cycle = order.partnerId ? lineCycle(refundedAt, lastIssued(order.partnerId, order.currency)) : cycleOf(refundedAt);
      rows.push({
        refundId: data.refund_id,
        orderId: order.orderId,
        partnerId: order.partnerId,
        amountMinor: amount.minor.toString(),
        currency: order.currency,
        refundedAt,
        platformMinor: reversal.platform.minor.toString(),
        sellerMinor: reversal.seller.minor.toString(),
        partnerMinor: reversal.partner.minor.toString(),
        // A reversal never lands before its order's line.
        billCycle: cycle < order.billCycle ? order.billCycle : cycle,
        splitBillId: null,
        source: source.kind,
        sourceEventId: source.eventId ?? null,
        receivedAt: now,
      });
      outcomes[index] = 'reversed';
    });
    if (rows.length) {
      await insertEntities(m, Refund, rows);
      const changed = [...refundedSoFar.entries()].filter(([id, total]) => BigInt((orders.get(id) as Order).refundedMinor) !== total);
      await m.query(
        `UPDATE orders o SET refunded_minor = v.total FROM unnest($1::text[], $2::bigint[]) AS v(order_id, total) WHERE o.order_id = v.order_id`,
        [changed.map(([id]) => id), changed.map(([, total]) => total.toString())],
      );
    }
    this.logger.info({ refunds: items.length, reversed: rows.length }, 'marketplace refunds booked');
    return outcomes;
  }

  /** HTTP backfill of orders: one transaction; refused orders answer with their reason. */
  ingestHttpOrders(orders: readonly OrderPaid[]): Promise<OrderOutcome[]> {
    return inSystemScope(this.dataSource, (m) => this.ingestOrders(m, orders.map((data) => ({ data, source: { kind: 'http' as const } }))));
  }

  /** HTTP backfill of refunds: one transaction; if an order is missing, the refunds one by one so the others are booked. */
  async ingestHttpRefunds(refunds: readonly OrderRefunded[]): Promise<RefundOutcome[]> {
    const items = refunds.map((data) => ({ data, source: { kind: 'http' as const } }));
    try {
      return await inSystemScope(this.dataSource, (m) => this.ingestRefunds(m, items));
    } catch (error) {
      if (!(error instanceof OrderRejectedError)) throw error;
      const outcomes: RefundOutcome[] = [];
      for (const item of items) {
        try {
          outcomes.push(...(await inSystemScope(this.dataSource, (m) => this.ingestRefunds(m, [item]))));
        } catch (single) {
          if (!(single instanceof OrderRejectedError)) throw single;
          outcomes.push({ rejected: single.message });
        }
      }
      return outcomes;
    }
  }

  /** Operator: orders, newest first, narrowed by partner and referral outcome (e.g. every token that attributed nothing). */
  list(q: { partnerId?: string; referralStatus?: ReferralStatus; offset: number; limit: number }): Promise<[Order[], number]> {
    return inSystemScope(this.dataSource, (m) =>
      m.getRepository(Order).findAndCount({ where: { partnerId: q.partnerId, referralStatus: q.referralStatus }, order: { paidAt: 'DESC', orderId: 'ASC' }, skip: q.offset, take: q.limit }),
    );
  }

  order(orderId: string): Promise<{ order: Order; refunds: Refund[] } | null> {
    return inSystemScope(this.dataSource, async (m) => {
      const order = await m.findOneBy(Order, { orderId });
      if (!order) return null;
      return { order, refunds: await m.find(Refund, { where: { orderId }, order: { refundedAt: 'ASC', refundId: 'ASC' } }) };
    });
  }
}
