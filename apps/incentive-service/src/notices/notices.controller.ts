import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { BillCycleSchema, IdSchema } from '@settle/contracts';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { parseInput } from '@settle/platform';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { PartnersService } from '../partners/partners.service';
import { TaxpayerType } from '../tax/tax-rules';
import { noticeDetailView, noticeView } from './notice-views';
import { NoticesService } from './notices.service';

const ListQuery = z.object({ period: BillCycleSchema.optional(), offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(10) }).strict();
const NoticeParams = z.object({ notice_id: z.uuid({ message: 'must be a notice id' }) }).strict();
const RunBody = z.object({ period: BillCycleSchema }).strict();
const RunParams = z.object({ run_id: z.uuid({ message: 'must be a run id' }) }).strict();

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
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const [rows, total] = await this.notices.partnerNotices(scopeOf(principal), parseInput(ListQuery, query));
    return { total_count: total, notices: rows.map(noticeView) };
  }

  @Get(':notice_id')
  async get(@Param() params: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { notice_id } = parseInput(NoticeParams, params);
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
  async run(@Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { period } = parseInput(RunBody, body);
    const run = await this.notices.startRun(period, callerOf(principal));
    return { run_id: run.id, period: run.period, status: run.status };
  }

  @Get('notice-runs/:run_id')
  async progress(@Param() params: unknown) {
    const { run_id } = parseInput(RunParams, params);
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
  async list(@Query() query: unknown) {
    const q = parseInput(ListQuery.extend({ partner_id: IdSchema.optional() }), query);
    const [rows, total] = await this.notices.operatorNotices({ ...q, partnerId: q.partner_id });
    return { total_count: total, notices: rows.map((n) => ({ partner_id: n.partnerId, ...noticeView(n) })) };
  }

  @Get('notices/:notice_id')
  async get(@Param() params: unknown) {
    const { notice_id } = parseInput(NoticeParams, params);
    const { notice, lines } = await this.notices.operatorNotice(notice_id);
    const profile = await inSystemScope(this.dataSource, (m) => this.partners.get(m, notice.partnerId));
    return { partner_id: notice.partnerId, ...noticeDetailView(notice, lines, (profile?.taxpayerType as TaxpayerType | undefined) ?? null) };
  }
}
