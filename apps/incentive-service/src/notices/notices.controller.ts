import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { ApiTimestamp, ApiTotalCount, ApiUuid, BillCycleSchema, IdSchema } from '@settle/contracts';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { PartnersService } from '../partners/partners.service';
import { TaxpayerType } from '../tax/tax-rules';
import { noticeDetailFields, noticeDetailView, noticeFields, noticeView } from './notice-views';
import { NoticesService } from './notices.service';

const ListQuery = z.object({ period: BillCycleSchema.optional(), offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(10) }).strict();
const NoticeParams = z.object({ notice_id: z.uuid({ message: 'must be a notice id' }) }).strict();
const RunBody = z.object({ period: BillCycleSchema }).strict();
const RunParams = z.object({ run_id: z.uuid({ message: 'must be a run id' }) }).strict();
const OperatorListQuery = ListQuery.extend({ partner_id: IdSchema.optional() });

const RunStatus = z.enum(['running', 'completed', 'completed-with-failures']);
const RunStarted = z.object({ run_id: ApiUuid, period: BillCycleSchema, status: RunStatus });
const RunProgress = z.object({
  run_id: ApiUuid,
  period: BillCycleSchema,
  status: RunStatus,
  requested_by: z.string(),
  partners_total: z.number().int().min(0).nullable().describe('How many partners the run issues notices for; null until they are listed.'),
  partners_done: z.number().int().min(0),
  partners_failed: z.number().int().min(0),
  partners_pending: z.number().int().min(0),
  progress: z.number().int().min(0).max(100).describe('Percent of the partners done or failed.'),
  created_at: ApiTimestamp,
  completed_at: ApiTimestamp.nullable(),
});
const PeriodNotEnded = { status: 409, code: 'CBC.0102', when: 'the settlement period has not ended yet' };

/** The partner's incentive notices (激励通知) with their lines. */
@Controller('v2/incentives/notices')
@RequirePermission('incentives')
export class PartnerNoticesController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notices: NoticesService,
    private readonly partners: PartnersService,
  ) {}

  @Get()
  @ApiRoute({ summary: "The caller's incentive notices, newest period first", response: z.object({ total_count: ApiTotalCount, notices: z.array(z.object(noticeFields)) }) })
  async list(@ValidQuery(ListQuery) q: z.infer<typeof ListQuery>, @CurrentPrincipal() principal: Principal | undefined) {
    const [rows, total] = await this.notices.partnerNotices(scopeOf(principal), q);
    return { total_count: total, notices: rows.map(noticeView) };
  }

  @Get(':notice_id')
  @ApiRoute({ summary: "One of the caller's incentive notices with its lines and the invoice its payout needs", response: z.object(noticeDetailFields) })
  async get(@ValidParams(NoticeParams) { notice_id }: z.infer<typeof NoticeParams>, @CurrentPrincipal() principal: Principal | undefined) {
    const scope = scopeOf(principal);
    const { notice, lines } = await this.notices.partnerNotice(scope, notice_id);
    const profile = await inPartnerScope(this.dataSource, scope.partnerId, (m) => this.partners.get(m, scope.partnerId));
    return noticeDetailView(notice, lines, (profile?.taxpayerType as TaxpayerType | undefined) ?? null);
  }
}

/** Operators run a period (one notice job per partner) and read every partner's notices. */
@Controller('operator/incentives')
@RequireOperator()
export class OperatorNoticesController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notices: NoticesService,
    private readonly partners: PartnersService,
  ) {}

  @Post('notice-runs')
  @HttpCode(202)
  @ApiRoute({ summary: 'Starts the notice run of an ended settlement period (one notice job per partner)', response: RunStarted, errors: [PeriodNotEnded] })
  async run(@ValidBody(RunBody) { period }: z.infer<typeof RunBody>, @CurrentPrincipal() principal: Principal | undefined) {
    const run = await this.notices.startRun(period, callerOf(principal));
    return { run_id: run.id, period: run.period, status: run.status };
  }

  @Get('notice-runs/:run_id')
  @ApiRoute({ summary: "A notice run's progress", response: RunProgress })
  async progress(@ValidParams(RunParams) { run_id }: z.infer<typeof RunParams>) {
    const p = await this.notices.progress(run_id);
    const total = p.run.partnersTotal;
    return {
      run_id: p.run.id,
      period: p.run.period,
      status: p.run.status,
      requested_by: p.run.requestedBy,
      partners_total: total,
      partners_done: p.done,
      partners_failed: p.failed,
      partners_pending: p.pending,
      progress: total === null ? 0 : total === 0 ? 100 : Math.floor((100 * (p.done + p.failed)) / total),
      created_at: p.run.createdAt.toISOString(),
      completed_at: p.run.completedAt?.toISOString() ?? null,
    };
  }

  @Get('notices')
  @ApiRoute({
    summary: "Every partner's incentive notices, newest period first",
    response: z.object({ total_count: ApiTotalCount, notices: z.array(z.object({ partner_id: z.string(), ...noticeFields })) }),
  })
  async list(@ValidQuery(OperatorListQuery) q: z.infer<typeof OperatorListQuery>) {
    const [rows, total] = await this.notices.operatorNotices({ ...q, partnerId: q.partner_id });
    return { total_count: total, notices: rows.map((n) => ({ partner_id: n.partnerId, ...noticeView(n) })) };
  }

  @Get('notices/:notice_id')
  @ApiRoute({ summary: 'One incentive notice with its partner, lines and invoice amounts', response: z.object({ partner_id: z.string(), ...noticeDetailFields }) })
  async get(@ValidParams(NoticeParams) { notice_id }: z.infer<typeof NoticeParams>) {
    const { notice, lines } = await this.notices.operatorNotice(notice_id);
    const profile = await inSystemScope(this.dataSource, (m) => this.partners.get(m, notice.partnerId));
    return { partner_id: notice.partnerId, ...noticeDetailView(notice, lines, (profile?.taxpayerType as TaxpayerType | undefined) ?? null) };
  }
}
