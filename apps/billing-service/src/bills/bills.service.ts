import { Inject, Injectable } from '@nestjs/common';
import { PartnerScope } from '@settle/auth';
import { InjectDataSource } from '@nestjs/typeorm';
import { BillGeneratedV1, ConflictError, FanOutBillRunJob, GeneratePartnerBillJob, NotFoundError, billCycleOf } from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { inPartnerScope, inSystemScope, setSystemScope } from '@settle/persistence';
import { Money } from '@settle/money';
import { InjectJobQueue, JobQueue, LOGGER, Logger, SERVICE_CONFIG } from '@settle/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { BillingConfig } from '../config';
import { addMonths } from '../rating/billing-calendar';
import { RatedLinesReader } from '../rating/rated-lines.reader';
import { RatingService } from '../rating/rating.service';
import { BillAmounts, BillLineInput, ComputedBill, computeBills } from './bill-arithmetic';
import { Bill, BillItem, BillRevision, BillRun, BillRunPartner, BillStatus } from './bill.entity';
import { publishConsumption } from './consumption-summary.publisher';

const minor = (m: Money) => m.minor.toString();

function amountColumns(a: BillAmounts) {
  return {
    consumptionMinor: minor(a.consumption),
    refundsMinor: minor(a.refunds),
    adjustmentsMinor: minor(a.adjustments),
    officialMinor: minor(a.official),
    discountMinor: minor(a.discount),
    amountDueMinor: minor(a.amountDue),
    taxMinor: minor(a.tax),
    lineCount: a.lineCount,
  };
}

export interface RunProgress {
  run: BillRun;
  done: number;
  failed: number;
  pending: number;
}

/**
 * Bill generation. A run lists the partners with lines in its cycle and gives each one job; a job
 * writes the partner's bills in one transaction under a (partner, cycle) advisory lock, together
 * with its run-partner row (done) and, for a bill that becomes final, `bill.generated` in the
 * outbox. So a job killed anywhere leaves nothing or everything, and a rerun — of the job or of the
 * whole run — finds the same bills: one per partner, cycle and currency, a final one untouched.
 */
@Injectable()
export class BillsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rating: RatingService,
    private readonly outbox: OutboxWriter,
    @Inject(SERVICE_CONFIG) private readonly config: BillingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @InjectJobQueue(FanOutBillRunJob) private readonly fanOutQueue: JobQueue<typeof FanOutBillRunJob>,
    @InjectJobQueue(GeneratePartnerBillJob) private readonly partnerQueue: JobQueue<typeof GeneratePartnerBillJob>,
  ) {}

  /**
   * Starts a run of a cycle (final bills if the cycle is closed now, drafts otherwise). With a
   * `triggerKey` (the schedule's), starting it again returns the run already started.
   */
  async startRun(billCycle: string, requestedBy: string, triggerKey: string | null = null): Promise<BillRun> {
    if (billCycle > billCycleOf(new Date())) throw new ConflictError(`Billing cycle ${billCycle} has not started yet.`);
    const finalize = (await this.rating.cycle(billCycle)).status === 'closed';
    const run: BillRun = { id: randomUUID(), billCycle, finalize, requestedBy, triggerKey, status: 'running', partnersTotal: null, createdAt: new Date(), completedAt: null };
    const inserted: { id: string }[] = await this.dataSource.query(
      `INSERT INTO bill_runs (id, bill_cycle, finalize, requested_by, trigger_key, status, created_at) VALUES ($1, $2, $3, $4, $5, 'running', $6)
       ON CONFLICT (trigger_key) DO NOTHING RETURNING id`,
      [run.id, billCycle, finalize, requestedBy, triggerKey, run.createdAt],
    );
    const stored = inserted.length ? run : await this.dataSource.getRepository(BillRun).findOneByOrFail({ triggerKey: triggerKey as string });
    // Enqueued after the commit; enqueueing an existing run's fan-out again is a no-op (same job id).
    // If this fails (or the process dies first), the run sweep enqueues it: a run never stays
    // `running` with nobody working on it.
    await this.enqueueFanOut(stored.id);
    return stored;
  }

  private enqueueFanOut(runId: string): Promise<unknown> {
    return this.fanOutQueue.enqueue({ run_id: runId }, { jobId: `bill-run-${runId}` });
  }

  /** The run sweep: enqueues again the fan-out of runs started before `startedBeforeMs` ago that never listed their partners. */
  async requeueUnlistedRuns(startedBeforeMs: number, now = new Date()): Promise<number> {
    const runs: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM bill_runs WHERE status = 'running' AND partners_total IS NULL AND created_at < $1 ORDER BY created_at`,
      [new Date(now.getTime() - startedBeforeMs)],
    );
    for (const run of runs) await this.enqueueFanOut(run.id);
    return runs.length;
  }

  /** The scheduled run of the previous cycle (UTC+08:00), closing it first when configured. */
  async startScheduledRun(billCycle = addMonths(billCycleOf(new Date()), -1)): Promise<BillRun> {
    if (this.config.BILL_CLOSE_CYCLE_ON_SCHEDULE) await this.rating.closeCycle(billCycle, 'schedule');
    return this.startRun(billCycle, 'schedule', `scheduled-${billCycle}`);
  }

  /** Lists the run's partners, records them, enqueues one job per partner not yet done. Idempotent. */
  async fanOut(runId: string, report: (percent: number) => Promise<void>): Promise<number> {
    const run = await this.dataSource.getRepository(BillRun).findOneBy({ id: runId });
    if (!run) throw new Error(`bill run ${runId} does not exist`);
    const partners = await inSystemScope(this.dataSource, (m) => RatedLinesReader.partnersOfCycle(m, run.billCycle));
    await this.dataSource.transaction(async (m) => {
      for (let i = 0; i < partners.length; i += 500) {
        const ids = partners.slice(i, i + 500);
        await m.query(`INSERT INTO bill_run_partners (run_id, partner_id, status) SELECT $1, unnest($2::text[]), 'pending' ON CONFLICT DO NOTHING`, [runId, ids]);
      }
      await m.update(BillRun, { id: runId }, { partnersTotal: partners.length });
    });
    const pending = await this.dataSource.getRepository(BillRunPartner).find({ where: { runId, status: 'pending' }, order: { partnerId: 'ASC' } });
    for (const [i, p] of pending.entries()) {
      await this.partnerQueue.enqueue({ run_id: runId, partner_id: p.partnerId }, { jobId: `bill-${runId}-${p.partnerId}` });
      if (i % 50 === 0) await report(Math.floor((100 * (i + 1)) / pending.length));
    }
    await report(100);
    await this.completeIfDone(runId);
    return pending.length;
  }

  /** Generates one partner's bills of the run's cycle (the job's handler). */
  async generatePartnerBills(runId: string, partnerId: string): Promise<Bill[]> {
    const bills = await this.dataSource.transaction(async (m) => {
      // A job works for the platform: it writes the bills of the partner its payload names.
      await setSystemScope(m);
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`bill:${partnerId}`]);
      const run = await m.findOneByOrFail(BillRun, { id: runId });
      const entry = await m.findOne(BillRunPartner, { where: { runId, partnerId }, lock: { mode: 'pessimistic_write' } });
      if (entry?.status === 'done') return m.findBy(Bill, { partnerId, billCycle: run.billCycle });
      const lines: BillLineInput[] = (await RatedLinesReader.billLines(m, partnerId, run.billCycle)).map((r) => ({
        customerId: r.customer_id,
        serviceTypeCode: r.service_type_code,
        lineType: r.line_type,
        recordType: r.record_type,
        currency: r.currency,
        officialAmountMinor: r.official_amount_minor,
        discountAmountMinor: r.discount_amount_minor,
        ratedAmountMinor: r.rated_amount_minor,
      }));
      const written: Bill[] = [];
      for (const computed of computeBills(lines, this.config.BILL_VAT_RATE)) {
        written.push(await this.writeBill(m, run, partnerId, computed));
      }
      await m.query(
        `INSERT INTO bill_run_partners (run_id, partner_id, status, attempts, finished_at) VALUES ($1, $2, 'done', 1, now())
         ON CONFLICT (run_id, partner_id) DO UPDATE SET status = 'done', attempts = bill_run_partners.attempts + 1, error = NULL, finished_at = now()`,
        [runId, partnerId],
      );
      return written;
    });
    await this.completeIfDone(runId);
    return bills;
  }

  /** Records that a partner's job gave up (after its last attempt), so the run can complete with failures. */
  async recordFailure(runId: string, partnerId: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE bill_run_partners SET status = 'failed', attempts = attempts + 1, error = $3, finished_at = now() WHERE run_id = $1 AND partner_id = $2 AND status = 'pending'`,
      [runId, partnerId, error.slice(0, 2000)],
    );
    await this.completeIfDone(runId);
  }

  private async writeBill(m: EntityManager, run: BillRun, partnerId: string, computed: ComputedBill): Promise<Bill> {
    const existing = await m.findOneBy(Bill, { partnerId, billCycle: run.billCycle, currency: computed.currency });
    if (existing?.status === 'final') return existing; // final bills never change
    const status: BillStatus = run.finalize ? 'final' : 'draft';
    const now = new Date();
    const unchanged = existing && existing.contentHash === computed.contentHash && existing.status === status;
    if (unchanged) {
      await m.update(Bill, { id: existing.id }, { lastRunId: run.id });
      return { ...existing, lastRunId: run.id };
    }
    const bill: Bill = {
      id: existing?.id ?? randomUUID(),
      partnerId,
      billCycle: run.billCycle,
      currency: computed.currency,
      status,
      revision: (existing?.revision ?? 0) + 1,
      customerCount: computed.customerCount,
      vatRate: this.config.BILL_VAT_RATE,
      contentHash: computed.contentHash,
      lastRunId: run.id,
      generatedAt: now,
      finalizedAt: status === 'final' ? now : null,
      ...amountColumns(computed.totals),
    };
    await m.save(Bill, bill);
    await m.delete(BillItem, { billId: bill.id });
    for (let i = 0; i < computed.items.length; i += 500) {
      await m.insert(
        BillItem,
        computed.items.slice(i, i + 500).map((item) => ({ billId: bill.id, customerId: item.customerId, serviceTypeCode: item.serviceTypeCode, ...amountColumns(item) })),
      );
    }
    await m.insert(BillRevision, { billId: bill.id, revision: bill.revision, status, contentHash: bill.contentHash, runId: run.id, createdAt: now, ...amountColumns(computed.totals) });
    if (status === 'final') {
      const t = computed.totals;
      await this.outbox.append(
        m,
        BillGeneratedV1,
        {
          bill_id: bill.id,
          partner_id: partnerId,
          bill_cycle: run.billCycle,
          currency: bill.currency,
          revision: bill.revision,
          consume_amount: t.consumption.toString(),
          refunds: t.refunds.toString(),
          adjustments: t.adjustments.toString(),
          official_amount: t.official.toString(),
          discount_amount: t.discount.toString(),
          tax_amount: t.tax.toString(),
          amount_due: t.amountDue.toString(),
          line_count: t.lineCount,
          customer_count: computed.customerCount,
          finalized_at: now.toISOString(),
        },
        { partitionKey: partnerId, subject: bill.id },
      );
      await publishConsumption(this.outbox, m, bill, now);
    }
    this.logger.info({ bill_id: bill.id, partner_id: partnerId, bill_cycle: run.billCycle, currency: bill.currency, revision: bill.revision, status, run_id: run.id }, existing ? 'bill regenerated' : 'bill generated');
    return bill;
  }

  /** Also after an operator retried a failed partner's job: a run whose failures are all mended is `completed`. */
  private async completeIfDone(runId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE bill_runs SET completed_at = now(),
              status = CASE WHEN EXISTS (SELECT 1 FROM bill_run_partners WHERE run_id = $1 AND status = 'failed') THEN 'completed-with-failures' ELSE 'completed' END
        WHERE id = $1 AND status IN ('running', 'completed-with-failures') AND partners_total IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM bill_run_partners WHERE run_id = $1 AND status = 'pending')`,
      [runId],
    );
  }

  async progress(runId: string): Promise<RunProgress> {
    const run = await this.dataSource.getRepository(BillRun).findOneBy({ id: runId });
    if (!run) throw new NotFoundError(`Bill run ${runId} does not exist.`);
    const counts: { status: string; n: number }[] = await this.dataSource.query(`SELECT status, count(*)::int AS n FROM bill_run_partners WHERE run_id = $1 GROUP BY status`, [runId]);
    const of = (s: string) => counts.find((c) => c.status === s)?.n ?? 0;
    return { run, done: of('done'), failed: of('failed'), pending: of('pending') };
  }

  /** Operator: every partner's bills; `partnerId` and `billCycle` narrow the list. */
  operatorBills(q: { partnerId?: string; billCycle?: string; offset: number; limit: number }): Promise<[Bill[], number]> {
    return inSystemScope(this.dataSource, (m) =>
      m.getRepository(Bill).findAndCount({
        where: { partnerId: q.partnerId, billCycle: q.billCycle },
        order: { billCycle: 'DESC', partnerId: 'ASC', currency: 'ASC' },
        skip: q.offset,
        take: q.limit,
      }),
    );
  }

  /** Operator: one bill with its items and revisions. */
  operatorBill(billId: string): Promise<{ bill: Bill; items: BillItem[]; revisions: BillRevision[] }> {
    return inSystemScope(this.dataSource, async (m) => {
      const bill = await m.findOneBy(Bill, { id: billId });
      if (!bill) throw new NotFoundError(`Bill ${billId} does not exist.`);
      const items = await m.find(BillItem, { where: { billId }, order: { customerId: 'ASC', serviceTypeCode: 'ASC' } });
      const revisions = await m.find(BillRevision, { where: { billId }, order: { revision: 'ASC' } });
      return { bill, items, revisions };
    });
  }

  /** The partner's bills of a cycle, one per currency. */
  partnerBills(scope: PartnerScope, billCycle: string): Promise<Bill[]> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => m.find(Bill, { where: { partnerId: scope.partnerId, billCycle }, order: { currency: 'ASC' } }));
  }
}
