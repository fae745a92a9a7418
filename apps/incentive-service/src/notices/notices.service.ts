import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PartnerScope } from '@settle/auth';
import { ConflictError, FanOutNoticeRunJob, IncentiveNoticeIssuedV1, IssueIncentiveNoticeJob, NotFoundError, billCycleOf } from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { Money } from '@settle/money';
import { inPartnerScope, inSystemScope, setSystemScope } from '@settle/persistence';
import { InjectJobQueue, JobQueue, LOGGER, Logger } from '@settle/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { Accrual } from '../accrual/accrual.entity';
import { CLOCK, Clock } from '../clock';
import { PartnersService } from '../partners/partners.service';
import { PoliciesService } from '../policies/policies.service';
import { EligibleEntry, PeriodEntries, calculateNotice } from './notice-calculation';
import { NoticeLine } from './notice-line.entity';
import { NoticeRunPartner } from './notice-run-partner.entity';
import { NoticeRun } from './notice-run.entity';
import { Notice } from './notice.entity';

export interface NoticeRunProgress {
  run: NoticeRun;
  done: number;
  failed: number;
  pending: number;
}

const entryOf = (a: Accrual): EligibleEntry => ({
  customerId: a.customerId,
  associationType: Number(a.associationType),
  serviceTypeCode: a.serviceTypeCode,
  period: a.period,
  currency: a.currency,
  amount: Money.fromMinor(a.amountMinor, a.currency),
  sourceRef: a.sourceRef,
});

/**
 * Incentive notices. A run of a period lists the partners with accruals to notice and gives each
 * one job; a job issues the partner's notices of the period in one transaction under the
 * partner's advisory lock, with the accruals it counted marked as noticed and `notice-issued` in
 * the outbox. A notice exists once per (partner, period, currency): a retried job, a re-run of
 * the period or a second run finds it and writes nothing. The amounts come from the pure
 * `calculateNotice`; this class only loads, calls and persists.
 */
@Injectable()
export class NoticesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policies: PoliciesService,
    private readonly partners: PartnersService,
    private readonly outbox: OutboxWriter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @InjectJobQueue(FanOutNoticeRunJob) private readonly fanOutQueue: JobQueue<typeof FanOutNoticeRunJob>,
    @InjectJobQueue(IssueIncentiveNoticeJob) private readonly issueQueue: JobQueue<typeof IssueIncentiveNoticeJob>,
  ) {}

  /** Starts a run of a period that has ended (its bills are final once billing closed it). */
  async startRun(period: string, requestedBy: string): Promise<NoticeRun> {
    if (period >= billCycleOf(this.clock.now())) throw new ConflictError(`Settlement period ${period} has not ended yet; its notices can be run from ${period} + 1 month on.`);
    const run: NoticeRun = { id: randomUUID(), period, requestedBy, status: 'running', partnersTotal: null, createdAt: this.clock.now(), completedAt: null };
    await this.dataSource.getRepository(NoticeRun).insert(run);
    await this.fanOutQueue.enqueue({ run_id: run.id }, { jobId: `notice-run-${run.id}` });
    this.logger.info({ run_id: run.id, period, by: requestedBy }, 'notice run started');
    return run;
  }

  /** Lists the run's partners (accruals of the period, or later changes of periods already noticed), enqueues one job each. Idempotent. */
  async fanOut(runId: string, report: (percent: number) => Promise<void>): Promise<number> {
    const run = await this.dataSource.getRepository(NoticeRun).findOneByOrFail({ id: runId });
    const partners: { partner_id: string }[] = await inSystemScope(this.dataSource, (m) =>
      m.query(
        `SELECT DISTINCT a.partner_id FROM accruals a
          WHERE a.notice_id IS NULL AND (a.period = $1 OR (a.period < $1 AND EXISTS (SELECT 1 FROM notices n WHERE n.partner_id = a.partner_id AND n.period = a.period)))
          ORDER BY a.partner_id`,
        [run.period],
      ),
    );
    const ids = partners.map((p) => p.partner_id);
    await this.dataSource.transaction(async (m) => {
      for (let i = 0; i < ids.length; i += 500) {
        await m.query(`INSERT INTO notice_run_partners (run_id, partner_id, status) SELECT $1, unnest($2::text[]), 'pending' ON CONFLICT DO NOTHING`, [runId, ids.slice(i, i + 500)]);
      }
      await m.update(NoticeRun, { id: runId }, { partnersTotal: ids.length });
    });
    const pending = await this.dataSource.getRepository(NoticeRunPartner).find({ where: { runId, status: 'pending' }, order: { partnerId: 'ASC' } });
    for (const [i, p] of pending.entries()) {
      // The natural key: one notice job per partner and period, whichever run enqueues it.
      await this.issueQueue.enqueue({ run_id: runId, partner_id: p.partnerId, period: run.period }, { jobId: `incentive-notice-${run.period}-${p.partnerId}-${runId}` });
      if (i % 50 === 0) await report(Math.floor((100 * (i + 1)) / pending.length));
    }
    await report(100);
    await this.completeIfDone(runId);
    this.logger.info({ run_id: runId, period: run.period, partners: ids.length, enqueued: pending.length }, 'notice run fanned out');
    return pending.length;
  }

  /** Issues the partner's notices of the period (the job's handler). Returns the notices of the period, issued now or before. */
  async issue(runId: string, partnerId: string, period: string): Promise<Notice[]> {
    const notices = await this.dataSource.transaction(async (m) => {
      await setSystemScope(m);
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`incentive-notice:${partnerId}`]);
      const existing = await m.find(Notice, { where: { partnerId, period } });
      if (existing.length) {
        // Issued before (a retry, a re-run): nothing to write; later changes go to the next notice.
        await this.markDone(m, runId, partnerId);
        return existing;
      }
      const partner = await this.partners.get(m, partnerId);
      // Retried with backoff: the partner's registration may still be on its way from customer-service.
      if (!partner) throw new Error(`incentive-service does not know partner ${partnerId} yet`);
      const issued = await this.computeAndWrite(m, runId, { kind: partner.kind, level: partner.level }, partnerId, period);
      await this.markDone(m, runId, partnerId);
      return issued;
    });
    await this.completeIfDone(runId);
    return notices;
  }

  private async computeAndWrite(m: EntityManager, runId: string, partner: { kind: string; level: string }, partnerId: string, period: string): Promise<Notice[]> {
    const open = await m
      .createQueryBuilder(Accrual, 'a')
      .setLock('pessimistic_write')
      .where('a.partner_id = :partnerId AND a.notice_id IS NULL AND a.period <= :period', { partnerId, period })
      .getMany();
    const noticed: { period: string }[] = await m.query(`SELECT DISTINCT period FROM notices WHERE partner_id = $1 AND period < $2`, [partnerId, period]);
    const noticedPeriods = new Set(noticed.map((n) => n.period));
    const counted = open.filter((a) => a.period === period || noticedPeriods.has(a.period));
    if (counted.length === 0) return [];
    const earlierPeriods = [...new Set(counted.filter((a) => a.period !== period).map((a) => a.period))];
    const issuedBefore = earlierPeriods.length ? await m.find(Accrual, { where: { partnerId, period: In(earlierPeriods) } }).then((rows) => rows.filter((a) => a.noticeId !== null)) : [];
    const firstPeriods: { customer_id: string; first: string }[] = await m.query(`SELECT customer_id, min(period) AS first FROM accruals WHERE partner_id = $1 GROUP BY customer_id`, [partnerId]);
    const firstOf = new Map(firstPeriods.map((r) => [r.customer_id, r.first]));
    const newIn = (p: string) => new Set([...firstOf.entries()].filter(([, first]) => first === p).map(([c]) => c));
    const { versions } = await this.policies.allVersions(m);
    const now = this.clock.now();
    const written: Notice[] = [];
    for (const currency of [...new Set(counted.map((a) => a.currency))].sort()) {
      const mine = counted.filter((a) => a.currency === currency);
      const group = (p: string, issued: Accrual[]): PeriodEntries => ({ period: p, issued: issued.map(entryOf), added: mine.filter((a) => a.period === p).map(entryOf), newCustomerIds: newIn(p) });
      const carried = await m
        .createQueryBuilder(Notice, 'n')
        .setLock('pessimistic_write')
        .where(`n.partner_id = :partnerId AND n.currency = :currency AND n.period < :period AND n.total_minor < 0 AND n.status = 'issued' AND n.carried_into_notice_id IS NULL`, { partnerId, currency, period })
        .getMany();
      const calculation = calculateNotice({
        partner,
        period,
        currency,
        policies: versions,
        current: group(period, []),
        earlier: earlierPeriods.map((p) => group(p, issuedBefore.filter((a) => a.period === p && a.currency === currency))),
        carried: carried.map((n) => ({ noticeId: n.id, period: n.period, total: Money.fromMinor(n.totalMinor, currency) })),
      });
      const notice: Notice = {
        id: randomUUID(),
        partnerId,
        period,
        currency,
        totalMinor: calculation.total.minor.toString(),
        earnedLineCount: calculation.lines.filter((l) => l.kind === 'earned').length,
        adjustmentLineCount: calculation.lines.filter((l) => l.kind !== 'earned').length,
        status: 'issued',
        runId,
        issuedAt: now,
        carriedIntoNoticeId: null,
      };
      await m.insert(Notice, notice);
      const lines: NoticeLine[] = calculation.lines.map((l, i) => ({
          noticeId: notice.id,
          lineNo: i + 1,
          partnerId,
          kind: l.kind,
          period: l.period,
          policyId: l.policyId,
          policyCode: l.policyCode,
          policyVersion: l.policyVersion,
          serviceTypeCode: l.serviceTypeCode,
          eligibleMinor: l.eligibleAmount.minor.toString(),
          incentiveMinor: l.incentiveAmount.minor.toString(),
          sourceRefs: l.sourceRefs,
          carriedNoticeId: l.carriedNoticeId,
        }));
      // Multi-row inserts (text[] columns go through TypeORM's own insert, which binds arrays).
      for (let i = 0; i < lines.length; i += 500) await m.insert(NoticeLine, lines.slice(i, i + 500));
      await m.query(`UPDATE accruals SET notice_id = $1 WHERE id = ANY($2::uuid[])`, [notice.id, mine.map((a) => a.id)]);
      if (carried.length) await m.query(`UPDATE notices SET status = 'carried', carried_into_notice_id = $1 WHERE id = ANY($2::uuid[])`, [notice.id, carried.map((n) => n.id)]);
      await this.outbox.append(
        m,
        IncentiveNoticeIssuedV1,
        {
          notice_id: notice.id,
          partner_id: partnerId,
          period,
          currency,
          total_amount: calculation.total.toString(),
          earned_line_count: notice.earnedLineCount,
          adjustment_line_count: notice.adjustmentLineCount,
          issued_at: now.toISOString(),
        },
        { partitionKey: partnerId, subject: notice.id },
      );
      this.logger.info({ notice_id: notice.id, partner_id: partnerId, period, currency, total: calculation.total.toString(), lines: calculation.lines.length, accruals: mine.length }, 'incentive notice issued');
      written.push(notice);
    }
    return written;
  }

  private async markDone(m: EntityManager, runId: string, partnerId: string): Promise<void> {
    await m.query(
      `INSERT INTO notice_run_partners (run_id, partner_id, status, attempts, finished_at) VALUES ($1, $2, 'done', 1, now())
       ON CONFLICT (run_id, partner_id) DO UPDATE SET status = 'done', attempts = notice_run_partners.attempts + 1, error = NULL, finished_at = now()`,
      [runId, partnerId],
    );
  }

  /** Records that a partner's job gave up after its last attempt, so the run completes with failures. */
  async recordFailure(runId: string, partnerId: string, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE notice_run_partners SET status = 'failed', attempts = attempts + 1, error = $3, finished_at = now() WHERE run_id = $1 AND partner_id = $2 AND status = 'pending'`, [
      runId,
      partnerId,
      error.slice(0, 2000),
    ]);
    await this.completeIfDone(runId);
  }

  private async completeIfDone(runId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE notice_runs SET completed_at = now(),
              status = CASE WHEN EXISTS (SELECT 1 FROM notice_run_partners WHERE run_id = $1 AND status = 'failed') THEN 'completed-with-failures' ELSE 'completed' END
        WHERE id = $1 AND status = 'running' AND partners_total IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM notice_run_partners WHERE run_id = $1 AND status = 'pending')`,
      [runId],
    );
  }

  async progress(runId: string): Promise<NoticeRunProgress> {
    const run = await this.dataSource.getRepository(NoticeRun).findOneBy({ id: runId });
    if (!run) throw new NotFoundError(`Notice run ${runId} does not exist.`);
    const counts: { status: string; n: number }[] = await this.dataSource.query(`SELECT status, count(*)::int AS n FROM notice_run_partners WHERE run_id = $1 GROUP BY status`, [runId]);
    const of = (s: string) => counts.find((c) => c.status === s)?.n ?? 0;
    return { run, done: of('done'), failed: of('failed'), pending: of('pending') };
  }

  // ---- reads ----

  partnerNotices(scope: PartnerScope, q: { period?: string; offset: number; limit: number }): Promise<[Notice[], number]> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) =>
      m.findAndCount(Notice, { where: { partnerId: scope.partnerId, period: q.period }, order: { period: 'DESC', currency: 'ASC' }, skip: q.offset, take: q.limit }),
    );
  }

  partnerNotice(scope: PartnerScope, noticeId: string): Promise<{ notice: Notice; lines: NoticeLine[] }> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => this.noticeWithLines(m, noticeId));
  }

  operatorNotices(q: { partnerId?: string; period?: string; offset: number; limit: number }): Promise<[Notice[], number]> {
    return inSystemScope(this.dataSource, (m) => m.findAndCount(Notice, { where: { partnerId: q.partnerId, period: q.period }, order: { period: 'DESC', partnerId: 'ASC' }, skip: q.offset, take: q.limit }));
  }

  operatorNotice(noticeId: string): Promise<{ notice: Notice; lines: NoticeLine[] }> {
    return inSystemScope(this.dataSource, (m) => this.noticeWithLines(m, noticeId));
  }

  private async noticeWithLines(m: EntityManager, noticeId: string): Promise<{ notice: Notice; lines: NoticeLine[] }> {
    const notice = await m.findOneBy(Notice, { id: noticeId });
    if (!notice) throw new NotFoundError(`Notice ${noticeId} does not exist.`);
    return { notice, lines: await m.find(NoticeLine, { where: { noticeId }, order: { lineNo: 'ASC' } }) };
  }
}
