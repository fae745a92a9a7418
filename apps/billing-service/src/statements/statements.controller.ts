import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { BillCycleSchema, IdSchema, SplitProgramSchema } from '@settle/contracts';
import { Money } from '@settle/money';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { Statement, StatementAuditRecord } from './statement.entity';
import { StatementsService } from './statements.service';
import { SplitSectionsService } from './split-sections.service';

const StatementParams = z.object({ statement_id: z.uuid({ message: 'must be a statement id' }) }).strict();
const ListQuery = z
  .object({
    bill_cycle: BillCycleSchema.optional(),
    status: z.enum(['pending', 'confirmed', 'disputed']).optional(),
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(100).default(10),
  })
  .strict();
const ConfirmBody = z.object({ revision: z.number().int().min(1) }).strict();
const DisputeBody = z.object({ revision: z.number().int().min(1), reason: z.string().trim().min(1, 'must say what is wrong').max(1000) }).strict();
const ReissueBody = z.object({ reason: z.string().trim().min(1).max(1000) }).strict();
const EnrollBody = z.object({ program: SplitProgramSchema }).strict();
const PartnerParams = z.object({ partner_id: IdSchema }).strict();

export function statementView(s: Statement) {
  return {
    statement_id: s.id,
    partner_id: s.partnerId,
    bill_cycle: s.billCycle,
    program: s.program,
    revision: s.revision,
    status: s.status,
    bill_id: s.billId,
    currency: s.currency,
    bill_amount: Money.fromMinor(s.billAmountMinor, s.currency).toString(),
    generated_time: s.generatedAt.toISOString(),
    decided_time: s.decidedAt?.toISOString() ?? null,
    decided_by: s.decidedBy,
    dispute_reason: s.disputeReason,
  };
}

const auditView = (a: StatementAuditRecord) => ({ revision: a.revision, action: a.action, actor: a.actor, reason: a.reason, time: a.at.toISOString() });


/** Reconciliation statements, as the partner sees them: list, read with its history, confirm or dispute. */
@Controller('v2/bills/statements')
@RequirePermission('bills')
export class StatementsController {
  constructor(private readonly statements: StatementsService, private readonly splitSections: SplitSectionsService) {}

  @Get()
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseInput(ListQuery, query);
    const [rows, total] = await this.statements.list(scopeOf(principal), { billCycle: q.bill_cycle, status: q.status, offset: q.offset, limit: q.limit });
    return { total_count: total, statements: rows.map(statementView) };
  }

  @Get(':statement_id')
  async get(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { statement_id } = parseInput(StatementParams, params);
    const { statement, audit } = await this.statements.get(scopeOf(principal), statement_id);
    return { ...statementView(statement), history: audit.map(auditView), split_section: await this.splitSections.sectionOf(statement, true) };
  }

  @Post(':statement_id/confirm')
  @HttpCode(200)
  async confirm(@Param() params: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { statement_id } = parseInput(StatementParams, params);
    const { revision } = parseInput(ConfirmBody, body);
    return statementView(await this.statements.confirm(scopeOf(principal), statement_id, revision));
  }

  @Post(':statement_id/dispute')
  @HttpCode(200)
  async dispute(@Param() params: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { statement_id } = parseInput(StatementParams, params);
    const { revision, reason } = parseInput(DisputeBody, body);
    return statementView(await this.statements.dispute(scopeOf(principal), statement_id, revision, reason));
  }
}

/** The operator's side: who is in a split program, every statement, and answering a dispute. */
@Controller('operator/billing')
@RequireOperator()
export class OperatorStatementsController {
  constructor(private readonly statements: StatementsService, private readonly splitSections: SplitSectionsService) {}

  @Put('split-programs/:partner_id')
  async enroll(@Param() params: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { partner_id } = parseInput(PartnerParams, params);
    const { program } = parseInput(EnrollBody, body);
    const row = await this.statements.enroll(partner_id, program, callerOf(principal));
    return { partner_id: row.partnerId, program: row.program, enrolled_time: row.enrolledAt.toISOString(), enrolled_by: row.enrolledBy };
  }

  @Delete('split-programs/:partner_id')
  @HttpCode(204)
  async leave(@Param() params: unknown) {
    const { partner_id } = parseInput(PartnerParams, params);
    await this.statements.leave(partner_id);
  }

  @Get('statements')
  async list(@Query() query: unknown) {
    const { partner_id, ...rest } = parseInput(ListQuery.extend({ partner_id: IdSchema.optional() }), query);
    const [rows, total] = await this.statements.operatorList({ partnerId: partner_id, billCycle: rest.bill_cycle, status: rest.status, offset: rest.offset, limit: rest.limit });
    return { total_count: total, statements: rows.map(statementView) };
  }

  @Get('statements/:statement_id')
  async get(@Param() params: unknown) {
    const { statement_id } = parseInput(StatementParams, params);
    const { statement, audit } = await this.statements.operatorGet(statement_id);
    return { ...statementView(statement), history: audit.map(auditView), split_section: await this.splitSections.sectionOf(statement, false) };
  }

  @Post('statements/:statement_id/reissue')
  @HttpCode(200)
  async reissue(@Param() params: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { statement_id } = parseInput(StatementParams, params);
    const { reason } = parseInput(ReissueBody, body);
    return statementView(await this.statements.reissue(statement_id, reason, callerOf(principal)));
  }
}
