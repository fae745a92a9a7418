import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventData, SplitBillIssuedV1, StatementGeneratedV1, StatementSplitSectionAttachedV1 } from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { Money } from '@settle/money';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull, LessThanOrEqual, MoreThanOrEqual, Not } from 'typeorm';
import { StatementSplitSection } from './statement-split-section.entity';
import { Statement, StatementAuditRecord } from './statement.entity';

type SplitBillIssued = EventData<typeof SplitBillIssuedV1>;

const amount = (minor: string | bigint, currency: string) => Money.fromMinor(minor, currency).toString();

/**
 * The split section of reconciliation statements. A split bill enters the partner's statement of
 * its cycle and currency, or the next one not confirmed yet (a bill that arrives after its
 * cycle's statement was confirmed, or before it was generated, waits for the next). Entering a
 * pending statement makes a new revision (what the partner read before no longer is the
 * statement, so a confirmation of the old revision is refused with 409); entering a disputed one
 * shows from the revision its reissue makes. Each entry is announced
 * (`statement.split-section-attached`) so marketplace settles exactly what a confirmed revision showed.
 */
@Injectable()
export class SplitSectionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /** A split bill arrived (in the consumer's transaction): stored once, attached when a statement can take it. */
  async received(m: EntityManager, d: SplitBillIssued, now: Date): Promise<void> {
    await this.lockPartner(m, d.partner_id);
    const minor = (v: string) => Money.of(v, d.currency).minor.toString();
    const section: StatementSplitSection = {
      splitBillId: d.split_bill_id,
      partnerId: d.partner_id,
      billCycle: d.bill_cycle,
      currency: d.currency,
      orderAmountMinor: minor(d.order_amount),
      platformMinor: minor(d.platform_amount),
      sellerMinor: minor(d.seller_amount),
      partnerMinor: minor(d.partner_amount),
      orderCount: d.order_count,
      refundCount: d.refund_count,
      issuedAt: new Date(d.issued_at),
      receivedAt: now,
      statementId: null,
      statementRevision: null,
      attachedAt: null,
    };
    const inserted = await m.createQueryBuilder().insert().into(StatementSplitSection).values(section).orIgnore().returning('split_bill_id').execute();
    if (inserted.raw.length === 0) return; // the same split bill again: it is already where it belongs
    const statement = await m.findOne(Statement, {
      where: { partnerId: d.partner_id, currency: d.currency, billCycle: MoreThanOrEqual(d.bill_cycle), status: Not('confirmed') },
      order: { billCycle: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    if (statement) await this.attach(m, statement, [section], now);
  }

  /** A statement (revision) was generated: the split bills waiting for it enter it. */
  async statementGenerated(m: EntityManager, d: EventData<typeof StatementGeneratedV1>, now: Date): Promise<void> {
    await this.lockPartner(m, d.partner_id);
    const statement = await m.findOne(Statement, { where: { id: d.statement_id }, lock: { mode: 'pessimistic_write' } });
    if (!statement || statement.status === 'confirmed') return;
    const waiting = await m.find(StatementSplitSection, {
      where: { partnerId: statement.partnerId, currency: statement.currency, billCycle: LessThanOrEqual(statement.billCycle), statementId: IsNull() },
      order: { billCycle: 'ASC', splitBillId: 'ASC' },
    });
    if (waiting.length) await this.attach(m, statement, waiting, now);
  }

  private async attach(m: EntityManager, s: Statement, sections: StatementSplitSection[], now: Date): Promise<void> {
    const revision = s.revision + 1;
    if (s.status === 'pending') {
      await m.update(Statement, { id: s.id }, { revision, generatedAt: now });
      await m.insert(StatementAuditRecord, {
        id: randomUUID(),
        statementId: s.id,
        revision,
        action: 'split-section-attached',
        actor: 'billing-service',
        reason: sections.map((x) => `split bill ${x.splitBillId} (${x.billCycle}): partner ${amount(x.partnerMinor, x.currency)}`).join('; '),
        at: now,
      });
      await this.outbox.append(
        m,
        StatementGeneratedV1,
        {
          statement_id: s.id,
          partner_id: s.partnerId,
          bill_cycle: s.billCycle,
          program: s.program as 'procurement-intervention' | 'strict-selection',
          revision,
          bill_id: s.billId,
          currency: s.currency,
          bill_amount: amount(s.billAmountMinor, s.currency),
          generated_at: now.toISOString(),
        },
        { partitionKey: s.partnerId, subject: s.id },
      );
    }
    for (const section of sections) {
      await m.update(StatementSplitSection, { splitBillId: section.splitBillId }, { statementId: s.id, statementRevision: revision, attachedAt: now });
      await this.outbox.append(
        m,
        StatementSplitSectionAttachedV1,
        {
          statement_id: s.id,
          partner_id: s.partnerId,
          bill_cycle: s.billCycle,
          revision,
          split_bill_id: section.splitBillId,
          split_bill_cycle: section.billCycle,
          currency: section.currency,
          partner_amount: amount(section.partnerMinor, section.currency),
          attached_at: now.toISOString(),
        },
        { partitionKey: s.partnerId, subject: s.id },
      );
    }
  }

  /** The split section as the statement API shows it (in the caller's scope). */
  async sectionOf(statement: Statement, partnerScoped: boolean): Promise<ReturnType<typeof sectionView>> {
    const read = (m: EntityManager) => m.find(StatementSplitSection, { where: { statementId: statement.id }, order: { billCycle: 'ASC', splitBillId: 'ASC' } });
    const rows = await (partnerScoped ? inPartnerScope(this.dataSource, statement.partnerId, read) : inSystemScope(this.dataSource, read));
    return sectionView(statement, rows);
  }

  private async lockPartner(m: EntityManager, partnerId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('billing-split-section:' || $1))`, [partnerId]);
  }
}

/** The sections a revision shows, and the partner's split amount over them. */
export function sectionView(statement: Statement, rows: StatementSplitSection[]) {
  const shown = rows.filter((r) => (r.statementRevision ?? Infinity) <= statement.revision);
  const total = shown.reduce((sum, r) => sum + BigInt(r.partnerMinor), 0n);
  return {
    currency: statement.currency,
    partner_amount: amount(total, statement.currency),
    split_bills: rows.map((r) => ({
      split_bill_id: r.splitBillId,
      bill_cycle: r.billCycle,
      order_amount: amount(r.orderAmountMinor, r.currency),
      platform_amount: amount(r.platformMinor, r.currency),
      seller_amount: amount(r.sellerMinor, r.currency),
      partner_amount: amount(r.partnerMinor, r.currency),
      order_count: r.orderCount,
      refund_count: r.refundCount,
      from_revision: r.statementRevision,
      issued_time: r.issuedAt.toISOString(),
    })),
  };
}
