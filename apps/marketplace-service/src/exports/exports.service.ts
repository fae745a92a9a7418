import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PartnerScope } from '@settle/auth';
import { ConflictError, GenerateSplitBillExportJob, NotFoundError } from '@settle/contracts';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { InjectJobQueue, JobQueue, LOGGER, Logger, SERVICE_CONFIG } from '@settle/platform';
import { stringify } from 'csv-stringify';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { DataSource, LessThan, Repository } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { MarketplaceConfig } from '../config';
import { PartnersService } from '../partners/partners.service';
import { lineView } from '../split-bills/split-bill-views';
import { linesOf } from '../split-bills/split-bill-lines';
import { SplitBillsService } from '../split-bills/split-bills.service';
import { ExportStatus, ExportTask } from './export-task.entity';

const HEADER = ['line_type', 'line_id', 'order_id', 'product_id', 'customer_id', 'time', 'amount', 'platform_amount', 'seller_amount', 'partner_amount'] as const;
const PAGE = 1000;

/**
 * Split bill exports as asynchronous tasks, like billing's: created at once (the caller gets the
 * id), produced by a BullMQ worker (retried with backoff), downloaded while not expired. Producing
 * is idempotent: the task is claimed under a row lock, a finished one is never produced again, and
 * its file appears atomically (written to a part file, then renamed). Lines are read in pages in
 * the task's partner scope, so an export can only ever hold that partner's rows.
 */
@Injectable()
export class ExportsService {
  private readonly dir: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly partners: PartnersService,
    private readonly splitBills: SplitBillsService,
    @Inject(SERVICE_CONFIG) private readonly config: MarketplaceConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @InjectJobQueue(GenerateSplitBillExportJob) private readonly queue: JobQueue<typeof GenerateSplitBillExportJob>,
  ) {
    this.dir = isAbsolute(config.MARKETPLACE_EXPORT_DIR) ? config.MARKETPLACE_EXPORT_DIR : resolve(config.MARKETPLACE_EXPORT_DIR);
  }

  async create(scope: PartnerScope, splitBillId: string): Promise<ExportTask> {
    await this.partners.requireProgramPartner(scope);
    const task = await inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const bill = await this.splitBills.findInScope(m, scope.partnerId, splitBillId);
      if (!bill) throw new NotFoundError(`Split bill ${splitBillId} does not exist.`);
      const row: ExportTask = {
        id: randomUUID(),
        partnerId: scope.partnerId,
        splitBillId,
        status: 'pending',
        fileName: `split-bill-${bill.billCycle}-${bill.currency}.csv`,
        sizeBytes: null,
        rowCount: null,
        attempts: 0,
        error: null,
        requestedBy: scope.actor,
        createdAt: this.clock.now(),
        finishedAt: null,
        expiresAt: null,
      };
      await m.insert(ExportTask, row);
      return row;
    });
    // After the commit; a crash before this line leaves a pending task, which the sweep enqueues.
    await this.queue.enqueue({ task_id: task.id }, { jobId: `split-bill-export-${task.id}` });
    return task;
  }

  list(scope: PartnerScope, page: { offset: number; limit: number }): Promise<[ExportTask[], number]> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) =>
      m.getRepository(ExportTask).findAndCount({ where: { partnerId: scope.partnerId }, order: { createdAt: 'DESC', id: 'DESC' }, skip: page.offset, take: page.limit }),
    );
  }

  async get(scope: PartnerScope, taskId: string): Promise<ExportTask> {
    const task = await inPartnerScope(this.dataSource, scope.partnerId, (m) => m.findOneBy(ExportTask, { id: taskId, partnerId: scope.partnerId }));
    if (!task) throw new NotFoundError(`Export task ${taskId} does not exist.`);
    if (task.status === 'succeeded' && task.expiresAt && task.expiresAt.getTime() <= this.clock.now().getTime()) return { ...task, status: 'expired' };
    return task;
  }

  /** Where the finished file is; 409 while it is being produced, after it failed or expired. */
  async file(scope: PartnerScope, taskId: string): Promise<{ task: ExportTask; path: string }> {
    const task = await this.get(scope, taskId);
    if (task.status !== 'succeeded') throw new ConflictError(`Export task ${taskId} is ${task.status}${task.error ? `: ${task.error}` : ''}; download it once it succeeded.`);
    return { task, path: this.pathOf(task) };
  }

  private pathOf(task: Pick<ExportTask, 'id' | 'partnerId'>): string {
    return join(this.dir, task.partnerId, `${task.id}.csv`);
  }

  /** Deletes the files of expired tasks and enqueues again tasks left pending (a crash between commit and enqueue). */
  async sweep(pendingOlderThanMs: number): Promise<{ expired: number; requeued: number }> {
    const now = this.clock.now();
    const system = <T>(work: (repo: Repository<ExportTask>) => Promise<T>) => inSystemScope(this.dataSource, (m) => work(m.getRepository(ExportTask)));
    const due = await system((repo) => repo.find({ where: { status: 'succeeded', expiresAt: LessThan(now) }, take: 500 }));
    for (const task of due) {
      await rm(this.pathOf(task), { force: true });
      await system((repo) => repo.update({ id: task.id, status: 'succeeded' }, { status: 'expired' }));
    }
    const stale = await system((repo) => repo.find({ where: { status: 'pending', createdAt: LessThan(new Date(now.getTime() - pendingOlderThanMs)) }, take: 500 }));
    for (const task of stale) await this.queue.enqueue({ task_id: task.id }, { jobId: `split-bill-export-${task.id}` });
    return { expired: due.length, requeued: stale.length };
  }

  /** The worker's handler: claims the task, writes the file, marks it succeeded (or failed on the last attempt). */
  async produce(taskId: string, attempt: { last: boolean }): Promise<{ status: ExportStatus; rows?: number }> {
    const claimed = await inSystemScope(this.dataSource, async (m) => {
      const task = await m.findOne(ExportTask, { where: { id: taskId }, lock: { mode: 'pessimistic_write' } });
      if (!task || task.status === 'succeeded' || task.status === 'expired') return task ? { task, skip: true } : null;
      await m.update(ExportTask, { id: taskId }, { status: 'running', attempts: task.attempts + 1, error: null });
      return { task, skip: false };
    });
    if (!claimed) return { status: 'failed' };
    if (claimed.skip) return { status: claimed.task.status };
    const { task } = claimed;
    const path = this.pathOf(task);
    const part = `${path}.${randomUUID()}.part`;
    try {
      await mkdir(dirname(path), { recursive: true });
      const file = createWriteStream(part);
      const csv = stringify({ header: true, columns: [...HEADER], bom: true });
      csv.pipe(file);
      let rows = 0;
      for (let offset = 0; ; offset += PAGE) {
        const page = await inPartnerScope(this.dataSource, task.partnerId, (m) => linesOf(m, task.splitBillId, { offset, limit: PAGE }));
        for (const line of page) {
          const v = lineView(line);
          rows += 1;
          if (!csv.write(HEADER.map((h) => v[h]))) await once(csv, 'drain');
        }
        if (page.length < PAGE) break;
      }
      csv.end();
      await finished(file);
      await rename(part, path);
      const size = (await stat(path)).size;
      const finishedAt = this.clock.now();
      await inSystemScope(this.dataSource, (m) =>
        m.update(ExportTask, { id: taskId }, { status: 'succeeded', sizeBytes: String(size), rowCount: rows, finishedAt, expiresAt: new Date(finishedAt.getTime() + this.config.MARKETPLACE_EXPORT_TTL_SECONDS * 1000) }),
      );
      this.logger.info({ task_id: taskId, split_bill_id: task.splitBillId, rows, bytes: size }, 'split bill export produced');
      return { status: 'succeeded', rows };
    } catch (error) {
      await rm(part, { force: true });
      const message = error instanceof Error ? error.message : String(error);
      await inSystemScope(this.dataSource, (m) => m.update(ExportTask, { id: taskId }, { status: attempt.last ? 'failed' : 'pending', error: message, ...(attempt.last ? { finishedAt: this.clock.now() } : {}) }));
      throw error;
    }
  }
}
