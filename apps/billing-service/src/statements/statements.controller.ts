import { Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { ApiAmount, ApiCurrency, ApiTimestamp, ApiTotalCount, BillCycleSchema, IdSchema, SplitProgramSchema } from '@settle/contracts';
import { Money } from '@settle/money';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
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
const OperatorListQuery = ListQuery.extend({ partner_id: IdSchema.optional() });

/** A statement (statementView), in lists and decisions. */
const StatementResponse = z
  .object({
    statement_id: z.string(),
    partner_id: z.string(),
    bill_cycle: z.string().describe('YYYY-MM'),
    program: SplitProgramSchema,
    revision: z.number().int().describe('Each reissue or split section attached makes a new revision; a decision names the revision it was made on'),
    status: z.enum(['pending', 'confirmed', 'disputed']),
    bill_id: z.string().describe('The final bill the statement is made from'),
    currency: ApiCurrency,
    bill_amount: ApiAmount.describe('The bill\'s amount due, tax included'),
    generated_time: ApiTimestamp.describe('When this revision was made'),
    decided_time: ApiTimestamp.nullable(),
    decided_by: z.string().nullable(),
    dispute_reason: z.string().nullable(),
  })
  .meta({ id: 'BillingStatement' });
const StatementListResponse = z.object({ total_count: ApiTotalCount, statements: z.array(StatementResponse) }).meta({ id: 'BillingStatementList' });
/** A statement with its history and split section (sectionView). */
const StatementDetailResponse = StatementResponse.extend({
  history: z.array(
    z.object({
      revision: z.number().int(),
      action: z.string().describe('generated, confirmed, disputed, reissued or split-section-attached'),
      actor: z.string(),
      reason: z.string().nullable(),
      time: ApiTimestamp,
    }),
  ),
  split_section: z.object({
    currency: ApiCurrency,
    partner_amount: ApiAmount.describe('The partner\'s split amount over the split bills this revision shows'),
    split_bills: z.array(
      z.object({
        split_bill_id: z.string(),
        bill_cycle: z.string().describe('The split bill\'s own cycle (YYYY-MM)'),
        order_amount: ApiAmount,
        platform_amount: ApiAmount,
        seller_amount: ApiAmount,
        partner_amount: ApiAmount,
        order_count: z.number().int(),
        refund_count: z.number().int(),
        from_revision: z.number().int().nullable().describe('The statement revision the split bill entered (shown from it on)'),
        issued_time: ApiTimestamp,
      }),
    ),
  }),
}).meta({ id: 'BillingStatementDetail' });
const StaleDecision = { status: 409, code: 'CBC.0102', when: 'the statement is at another revision than the one named, or that revision is already confirmed or disputed' };

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
  @ApiRoute({ summary: 'The partner\'s reconciliation statements', response: StatementListResponse })
  async list(@ValidQuery(ListQuery) q: z.infer<typeof ListQuery>, @CurrentPrincipal() principal: Principal) {
    const [rows, total] = await this.statements.list(scopeOf(principal), { billCycle: q.bill_cycle, status: q.status, offset: q.offset, limit: q.limit });
    return { total_count: total, statements: rows.map(statementView) };
  }

  @Get(':statement_id')
  @ApiRoute({ summary: 'One of the partner\'s statements, with its history and split section', response: StatementDetailResponse })
  async get(@ValidParams(StatementParams) { statement_id }: z.infer<typeof StatementParams>, @CurrentPrincipal() principal: Principal) {
    const { statement, audit } = await this.statements.get(scopeOf(principal), statement_id);
    return { ...statementView(statement), history: audit.map(auditView), split_section: await this.splitSections.sectionOf(statement, true) };
  }

  @Post(':statement_id/confirm')
  @HttpCode(200)
  @ApiRoute({ summary: 'Confirms the statement revision the partner read (split settlement may then proceed)', response: StatementResponse, errors: [StaleDecision] })
  async confirm(
    @ValidParams(StatementParams) { statement_id }: z.infer<typeof StatementParams>,
    @ValidBody(ConfirmBody) { revision }: z.infer<typeof ConfirmBody>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return statementView(await this.statements.confirm(scopeOf(principal), statement_id, revision));
  }

  @Post(':statement_id/dispute')
  @HttpCode(200)
  @ApiRoute({ summary: 'Disputes the statement revision the partner read, with a reason (settlement waits for a reissue)', response: StatementResponse, errors: [StaleDecision] })
  async dispute(
    @ValidParams(StatementParams) { statement_id }: z.infer<typeof StatementParams>,
    @ValidBody(DisputeBody) { revision, reason }: z.infer<typeof DisputeBody>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return statementView(await this.statements.dispute(scopeOf(principal), statement_id, revision, reason));
  }
}

/** The operator's side: who is in a split program, every statement, and answering a dispute. */
@Controller('operator/billing')
@RequireOperator()
export class OperatorStatementsController {
  constructor(private readonly statements: StatementsService, private readonly splitSections: SplitSectionsService) {}

  @Put('split-programs/:partner_id')
  @ApiRoute({
    summary: 'Puts a partner in a split program (it then gets a reconciliation statement per cycle)',
    response: z.object({ partner_id: z.string(), program: SplitProgramSchema, enrolled_time: ApiTimestamp, enrolled_by: z.string() }),
  })
  async enroll(
    @ValidParams(PartnerParams) { partner_id }: z.infer<typeof PartnerParams>,
    @ValidBody(EnrollBody) { program }: z.infer<typeof EnrollBody>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const row = await this.statements.enroll(partner_id, program, callerOf(principal));
    return { partner_id: row.partnerId, program: row.program, enrolled_time: row.enrolledAt.toISOString(), enrolled_by: row.enrolledBy };
  }

  @Delete('split-programs/:partner_id')
  @HttpCode(204)
  @ApiRoute({ summary: 'Takes a partner out of its split program', response: { empty: true } })
  async leave(@ValidParams(PartnerParams) { partner_id }: z.infer<typeof PartnerParams>) {
    await this.statements.leave(partner_id);
  }

  @Get('statements')
  @ApiRoute({ summary: 'Every partner\'s statements (partner_id narrows to one)', response: StatementListResponse })
  async list(@ValidQuery(OperatorListQuery) { partner_id, ...rest }: z.infer<typeof OperatorListQuery>) {
    const [rows, total] = await this.statements.operatorList({ partnerId: partner_id, billCycle: rest.bill_cycle, status: rest.status, offset: rest.offset, limit: rest.limit });
    return { total_count: total, statements: rows.map(statementView) };
  }

  @Get('statements/:statement_id')
  @ApiRoute({ summary: 'Any statement, with its history and split section', response: StatementDetailResponse })
  async get(@ValidParams(StatementParams) { statement_id }: z.infer<typeof StatementParams>) {
    const { statement, audit } = await this.statements.operatorGet(statement_id);
    return { ...statementView(statement), history: audit.map(auditView), split_section: await this.splitSections.sectionOf(statement, false) };
  }

  @Post('statements/:statement_id/reissue')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Answers a dispute: a new revision of the statement, pending the partner\'s decision again',
    response: StatementResponse,
    errors: [{ status: 409, code: 'CBC.0102', when: 'the statement is not disputed' }],
  })
  async reissue(
    @ValidParams(StatementParams) { statement_id }: z.infer<typeof StatementParams>,
    @ValidBody(ReissueBody) { reason }: z.infer<typeof ReissueBody>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return statementView(await this.statements.reissue(statement_id, reason, callerOf(principal)));
  }
}
