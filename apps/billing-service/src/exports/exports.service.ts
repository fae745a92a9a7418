import { Inject, Injectable } from '@nestjs/common';
import { PartnerScope } from '@settle/auth';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiError, BadParameterError, ConflictError, GenerateExportJob, NotFoundError } from '@settle/contracts';
import { UnrecoverableError } from 'bullmq';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { InjectJobQueue, JobQueue, LOGGER, Logger, SERVICE_CONFIG, parseInput } from '@settle/platform';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { DataSource, In, LessThan, Repository } from 'typeorm';
import { BillingConfig } from '../config';
import { ExportSourceRegistry, FileFormat, fileFormatsOf } from './export-source';
import { ExportStatus, ExportTask } from './export-task.entity';
import { writeExport } from './export-writer';

interface ExportRequest {
  partnerId: string;
  requestedBy: string;
  body: Record<string, unknown>;
}

/**
 * Export tasks: created at once (the caller gets the id), produced by a BullMQ worker, listed with
 * status, size and expiry, downloaded while not expired. Producing is idempotent: a task is claimed
 * under a row lock, a finished one is never produced again, and its file appears atomically.
 */
@Injectable()
export class ExportsService {
  private readonly dir: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sources: ExportSourceRegistry,
    @Inject(SERVICE_CONFIG) private readonly config: BillingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @InjectJobQueue(GenerateExportJob) private readonly queue: JobQueue<typeof GenerateExportJob>,
  ) {
    this.dir = isAbsolute(config.EXPORT_DIR) ? config.EXPORT_DIR : resolve(config.EXPORT_DIR);
  }

  async create(scope: PartnerScope, body: Record<string, unknown>): Promise<ExportTask> {
    const request: ExportRequest = { partnerId: scope.partnerId, requestedBy: scope.actor, body };
    const { export_type: type, file_format: requestedFormat, ...rest } = request.body;
    const source = typeof type === 'string' ? this.sources.get(type) : undefined;
    if (!source) throw new BadParameterError(`export_type: must be one of ${this.sources.types().join(', ')}.`);
    const formats = fileFormatsOf(source);
    const format = requestedFormat ?? formats[0];
    if (typeof format !== 'string' || !(formats as readonly string[]).includes(format)) {
      throw new BadParameterError(`file_format: ${source.type} is written as ${formats.join(' or ')}.`);
    }
    const params = parseInput(source.params, rest) as Record<string, unknown>;
    const task: ExportTask = {
      id: randomUUID(),
      partnerId: request.partnerId,
      exportType: source.type,
      params,
      format,
      status: 'pending',
      fileName: `${source.fileName(params)}.${format}`,
      sizeBytes: null,
      rowCount: null,
      attempts: 0,
      error: null,
      requestedBy: request.requestedBy,
      createdAt: new Date(),
      startedAt: null,
      finishedAt: null,
      expiresAt: null,
    };
    await inPartnerScope(this.dataSource, scope.partnerId, (m) => m.getRepository(ExportTask).save(m.getRepository(ExportTask).create(task)));
    // After the commit; a crash before this line leaves a pending task that the sweep enqueues.
    await this.enqueue(task.id);
    return task;
  }

  private async enqueue(taskId: string): Promise<void> {
    await this.queue.enqueue({ task_id: taskId }, { jobId: `export-${taskId}` });
  }

  list(scope: PartnerScope, page: { offset: number; limit: number; status?: ExportStatus; exportType?: string }): Promise<[ExportTask[], number]> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) =>
      m.getRepository(ExportTask).findAndCount({
        where: { partnerId: scope.partnerId, status: page.status, exportType: page.exportType },
        order: { createdAt: 'DESC', id: 'DESC' },
        skip: page.offset,
        take: page.limit,
      }),
    );
  }

  /** One of the partner's tasks (404 for anyone else's, as for one that does not exist). */
  async get(scope: PartnerScope, taskId: string): Promise<ExportTask> {
    const task = await inPartnerScope(this.dataSource, scope.partnerId, (m) => m.findOneBy(ExportTask, { id: taskId, partnerId: scope.partnerId }));
    if (!task) throw new NotFoundError(`Export task ${taskId} does not exist.`);
    return task;
  }

  /** Where the finished file is; 409 while it is being produced, after it failed or expired. */
  async file(scope: PartnerScope, taskId: string): Promise<{ task: ExportTask; path: string }> {
    const task = await this.get(scope, taskId);
    if (task.status === 'expired') throw new ConflictError(`Export task ${taskId} expired at ${task.expiresAt?.toISOString()}; create a new export.`);
    if (task.status === 'failed') throw new ConflictError(`Export task ${taskId} failed: ${task.error}`);
    if (task.status !== 'succeeded') throw new ConflictError(`Export task ${taskId} is ${task.status}; download it once it succeeded.`);
    return { task, path: this.pathOf(task) };
  }

  private pathOf(task: Pick<ExportTask, 'id' | 'partnerId' | 'format'>): string {
    return join(this.dir, task.partnerId, `${task.id}.${task.format}`);
  }

  /**
   * Produces a task's file (the worker's handler). Claims the task under a row lock so two workers
   * never write it at once; a task already succeeded or expired is left as it is. The job works
   * for the platform (system scope) on the task's bookkeeping, and reads the data in the task's
   * partner scope, so a source can only ever see that partner's rows.
   */
  async produce(taskId: string, attempt: { number: number; last: boolean }): Promise<{ status: ExportStatus; rows?: number }> {
    const claimed = await inSystemScope(this.dataSource, async (m) => {
      const task = await m.findOne(ExportTask, { where: { id: taskId }, lock: { mode: 'pessimistic_write', onLocked: 'nowait' } }).catch((error: { code?: string }) => {
        if (error.code === '55P03') throw new Error(`export task ${taskId} is being produced by another worker`);
        throw error;
      });
      if (!task) return null;
      if (task.status === 'succeeded' || task.status === 'expired') return { task, skip: true };
      await m.update(ExportTask, { id: taskId }, { status: 'running', startedAt: new Date(), attempts: task.attempts + 1, error: null });
      return { task, skip: false };
    });
    if (!claimed) {
      this.logger.warn({ task_id: taskId }, 'export task does not exist; nothing to produce');
      return { status: 'failed' };
    }
    if (claimed.skip) return { status: claimed.task.status };
    const { task } = claimed;
    const source = this.sources.get(task.exportType);
    try {
      if (!source) throw new Error(`export type ${task.exportType} is not offered by this version of billing-service`);
      const written = await inPartnerScope(this.dataSource, task.partnerId, (m) =>
        writeExport(source, { dataSource: m, partnerId: task.partnerId, params: task.params }, this.pathOf(task), task.format as FileFormat),
      );
      const finishedAt = new Date();
      await inSystemScope(this.dataSource, (m) => m.getRepository(ExportTask).update(
        { id: taskId },
        {
          status: 'succeeded',
          sizeBytes: String(written.sizeBytes),
          rowCount: written.rowCount,
          finishedAt,
          expiresAt: new Date(finishedAt.getTime() + this.config.EXPORT_TTL_SECONDS * 1000),
        },
      ));
      this.logger.info({ task_id: taskId, export_type: task.exportType, rows: written.rowCount, bytes: written.sizeBytes }, 'export produced');
      return { status: 'succeeded', rows: written.rowCount };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A caller's mistake (e.g. no bill for that cycle) fails at once: retrying cannot fix it.
      const final = attempt.last || error instanceof ApiError;
      await inSystemScope(this.dataSource, (m) => m.getRepository(ExportTask).update({ id: taskId }, { status: final ? 'failed' : 'pending', error: message, ...(final ? { finishedAt: new Date() } : {}) }));
      throw error instanceof ApiError ? new UnrecoverableError(message) : error;
    }
  }

  /** Deletes the files of expired tasks and enqueues again tasks left pending; returns what it did. */
  async sweep(pendingOlderThanMs: number, now = new Date()): Promise<{ expired: number; requeued: number }> {
    const system = <T>(work: (repo: Repository<ExportTask>) => Promise<T>) => inSystemScope(this.dataSource, (m) => work(m.getRepository(ExportTask)));
    const due = await system((repo) => repo.find({ where: { status: 'succeeded', expiresAt: LessThan(now) }, take: 500 }));
    for (const task of due) {
      await rm(this.pathOf(task), { force: true });
      await system((repo) => repo.update({ id: task.id, status: 'succeeded' }, { status: 'expired' }));
    }
    const stale = await system((repo) => repo.find({ where: { status: In(['pending']), createdAt: LessThan(new Date(now.getTime() - pendingOlderThanMs)) }, take: 500 }));
    for (const task of stale) await this.enqueue(task.id);
    return { expired: due.length, requeued: stale.length };
  }
}
