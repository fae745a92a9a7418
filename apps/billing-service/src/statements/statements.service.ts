import { Injectable } from '@nestjs/common';
import { PartnerScope } from '@settle/auth';
import { InjectDataSource } from '@nestjs/typeorm';
import { ConflictError, NotFoundError, StatementConfirmedV1, StatementDisputedV1, StatementGeneratedV1 } from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { Money } from '@settle/money';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { SplitProgram, SplitProgramEnrollment, Statement, StatementAuditRecord, StatementStatus } from './statement.entity';

/** The final bill a statement is made from. */
export interface FinalBill {
  billId: string;
  partnerId: string;
  billCycle: string;
  currency: string;
  amountDueMinor: string;
}

const fields = (s: Statement) => ({
  statement_id: s.id,
  partner_id: s.partnerId,
  bill_cycle: s.billCycle,
  program: s.program,
  revision: s.revision,
  bill_id: s.billId,
  currency: s.currency,
  bill_amount: Money.fromMinor(s.billAmountMinor, s.currency).toString(),
});

/**
 * Reconciliation statements for partners in split programs. Every change is one transaction: the
 * statement row (locked), its audit record and its event in the outbox. Only a confirmed statement
 * lets split settlement proceed (`statement.confirmed`); a disputed one waits for a reissue.
 */
@Injectable()
export class StatementsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Operator: puts a partner in a split program. */
  async enroll(partnerId: string, program: SplitProgram, by: string): Promise<SplitProgramEnrollment> {
    const row: SplitProgramEnrollment = { partnerId, program, enrolledAt: new Date(), enrolledBy: by };
    await inSystemScope(this.dataSource, (m) => m.getRepository(SplitProgramEnrollment).upsert(row, ['partnerId']));
    return row;
  }

  /** Operator: takes a partner out of its split program. */
  async leave(partnerId: string): Promise<void> {
    const result = await inSystemScope(this.dataSource, (m) => m.getRepository(SplitProgramEnrollment).delete({ partnerId }));
    if (!result.affected) throw new NotFoundError(`Partner ${partnerId} is not in a split program.`);
  }

  /**
   * Makes the statement of a final bill, in the caller's transaction, when the partner is in a split
   * program; once per partner, cycle and currency (a redelivered bill changes nothing). Returns null
   * for a partner outside split programs.
   */
  async generateFor(m: EntityManager, bill: FinalBill): Promise<Statement | null> {
    const enrollment = await m.findOneBy(SplitProgramEnrollment, { partnerId: bill.partnerId });
    if (!enrollment) return null;
    const existing = await m.findOneBy(Statement, { partnerId: bill.partnerId, billCycle: bill.billCycle, currency: bill.currency });
    if (existing) return existing;
    const now = new Date();
    const statement: Statement = {
      id: randomUUID(),
      partnerId: bill.partnerId,
      billCycle: bill.billCycle,
      currency: bill.currency,
      program: enrollment.program,
      billId: bill.billId,
      billAmountMinor: bill.amountDueMinor,
      revision: 1,
      status: 'pending',
      generatedAt: now,
      decidedAt: null,
      decidedBy: null,
      disputeReason: null,
    };
    await m.insert(Statement, statement);
    await this.audit(m, statement, 'generated', 'billing-service', null, now);
    await this.outbox.append(m, StatementGeneratedV1, { ...fields(statement), generated_at: now.toISOString() }, { partitionKey: statement.partnerId, subject: statement.id });
    return statement;
  }

  /** The partner's own statements. */
  list(scope: PartnerScope, q: { billCycle?: string; status?: StatementStatus; offset: number; limit: number }): Promise<[Statement[], number]> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => this.page(m, { ...q, partnerId: scope.partnerId }));
  }

  /** Operator: every partner's statements; `partnerId` narrows to one. */
  operatorList(q: { partnerId?: string; billCycle?: string; status?: StatementStatus; offset: number; limit: number }): Promise<[Statement[], number]> {
    return inSystemScope(this.dataSource, (m) => this.page(m, q));
  }

  private page(m: EntityManager, q: { partnerId?: string; billCycle?: string; status?: StatementStatus; offset: number; limit: number }): Promise<[Statement[], number]> {
    return m.getRepository(Statement).findAndCount({
      where: { partnerId: q.partnerId, billCycle: q.billCycle, status: q.status },
      order: { billCycle: 'DESC', currency: 'ASC' },
      skip: q.offset,
      take: q.limit,
    });
  }

  /** One of the partner's statements with its history (404 for anyone else's). */
  get(scope: PartnerScope, statementId: string): Promise<{ statement: Statement; audit: StatementAuditRecord[] }> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => this.withHistory(m, { id: statementId, partnerId: scope.partnerId }));
  }

  /** Operator: any statement with its history. */
  operatorGet(statementId: string): Promise<{ statement: Statement; audit: StatementAuditRecord[] }> {
    return inSystemScope(this.dataSource, (m) => this.withHistory(m, { id: statementId }));
  }

  private async withHistory(m: EntityManager, where: { id: string; partnerId?: string }): Promise<{ statement: Statement; audit: StatementAuditRecord[] }> {
    const statement = await m.findOneBy(Statement, where);
    if (!statement) throw new NotFoundError(`Statement ${where.id} does not exist.`);
    const audit = await m.find(StatementAuditRecord, { where: { statementId: statement.id }, order: { at: 'ASC', id: 'ASC' } });
    return { statement, audit };
  }

  /** The partner confirms the revision it read; split settlement may then proceed. */
  confirm(scope: PartnerScope, statementId: string, revision: number): Promise<Statement> {
    const actor = scope.actor;
    return this.decide(scope, statementId, revision, async (m, s, now) => {
      const decided = { ...s, status: 'confirmed' as const, decidedAt: now, decidedBy: actor, disputeReason: null };
      await m.update(Statement, { id: s.id }, { status: decided.status, decidedAt: now, decidedBy: actor, disputeReason: null });
      await this.audit(m, decided, 'confirmed', actor, null, now);
      await this.outbox.append(m, StatementConfirmedV1, { ...fields(decided), confirmed_at: now.toISOString(), confirmed_by: actor }, { partitionKey: s.partnerId, subject: s.id });
      return decided;
    });
  }

  /** The partner disputes the revision it read, with a reason; settlement waits for a reissue. */
  dispute(scope: PartnerScope, statementId: string, revision: number, reason: string): Promise<Statement> {
    const actor = scope.actor;
    return this.decide(scope, statementId, revision, async (m, s, now) => {
      const decided = { ...s, status: 'disputed' as const, decidedAt: now, decidedBy: actor, disputeReason: reason };
      await m.update(Statement, { id: s.id }, { status: decided.status, decidedAt: now, decidedBy: actor, disputeReason: reason });
      await this.audit(m, decided, 'disputed', actor, reason, now);
      await this.outbox.append(m, StatementDisputedV1, { ...fields(decided), disputed_at: now.toISOString(), disputed_by: actor, reason }, { partitionKey: s.partnerId, subject: s.id });
      return decided;
    });
  }

  /** The operator answers a dispute: a new revision, pending the partner's decision again. */
  async reissue(statementId: string, reason: string, actor: string): Promise<Statement> {
    return inSystemScope(this.dataSource, async (m) => {
      const s = await m.findOne(Statement, { where: { id: statementId }, lock: { mode: 'pessimistic_write' } });
      if (!s) throw new NotFoundError(`Statement ${statementId} does not exist.`);
      if (s.status !== 'disputed') throw new ConflictError(`Statement ${statementId} is ${s.status}; only a disputed statement is reissued.`);
      const now = new Date();
      const reissued: Statement = { ...s, revision: s.revision + 1, status: 'pending', generatedAt: now, decidedAt: null, decidedBy: null, disputeReason: null };
      await m.update(Statement, { id: s.id }, { revision: reissued.revision, status: 'pending', generatedAt: now, decidedAt: null, decidedBy: null, disputeReason: null });
      await this.audit(m, reissued, 'reissued', actor, reason, now);
      await this.outbox.append(m, StatementGeneratedV1, { ...fields(reissued), generated_at: now.toISOString() }, { partitionKey: s.partnerId, subject: s.id });
      return reissued;
    });
  }

  private decide(scope: PartnerScope, statementId: string, revision: number, apply: (m: EntityManager, s: Statement, now: Date) => Promise<Statement>): Promise<Statement> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const s = await m.findOne(Statement, { where: { id: statementId, partnerId: scope.partnerId }, lock: { mode: 'pessimistic_write' } });
      if (!s) throw new NotFoundError(`Statement ${statementId} does not exist.`);
      if (s.revision !== revision) throw new ConflictError(`Statement ${statementId} is at revision ${s.revision}, not ${revision}; read it again before deciding.`);
      if (s.status !== 'pending') throw new ConflictError(`Statement ${statementId} revision ${s.revision} is already ${s.status}.`);
      return apply(m, s, new Date());
    });
  }

  private async audit(m: EntityManager, s: Statement, action: string, actor: string, reason: string | null, at: Date): Promise<void> {
    await m.insert(StatementAuditRecord, { id: randomUUID(), statementId: s.id, revision: s.revision, action, actor, reason, at });
  }
}
