import { Controller, Get, HttpCode, Post, StreamableFile } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequirePermission, scopeOf } from '@settle/auth';
import { ApiTimestamp, ApiTotalCount } from '@settle/contracts';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { CONTENT_TYPES } from './export-source';
import { ExportTask } from './export-task.entity';
import { ExportsService } from './exports.service';

const TaskParams = z.object({ task_id: z.uuid({ message: 'must be an export task id' }) }).strict();
const ListQuery = z
  .object({
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(100).default(10),
    status: z.enum(['pending', 'running', 'succeeded', 'failed', 'expired']).optional(),
    export_type: z.string().min(1).max(64).optional(),
  })
  .strict();
/** The export type and its parameters, checked by the service against the type's own schema (so its messages name the field). */
const CreateBody = z
  .record(z.string(), z.unknown())
  .optional()
  .describe(
    'export_type and its parameters: bill-details (bill_cycle: every bill line of a cycle), bill-pdf (bill_cycle, currency: the bill as a PDF), adjust-records and account-change-records (trade_time_begin, trade_time_end: funding and reclaims, income and expenses); file_format csv or xlsx for tables (csv by default), pdf for the bill',
  );

const ExportStatus = z.enum(['pending', 'running', 'succeeded', 'failed', 'expired']);
const ExportTaskResponse = z
  .object({
    task_id: z.string(),
    export_type: z.string(),
    params: z.record(z.string(), z.unknown()).describe('The export type\'s parameters as the task was created with them'),
    status: ExportStatus,
    file_name: z.string(),
    file_format: z.enum(['csv', 'xlsx', 'pdf']),
    file_size: z.number().int().nullable().describe('Bytes, once the file is written'),
    row_count: z.number().int().nullable().describe('Data rows written, once the file is written'),
    error_msg: z.string().nullable().describe('Why the task failed'),
    created_time: ApiTimestamp,
    finished_time: ApiTimestamp.nullable(),
    expire_time: ApiTimestamp.nullable().describe('When the file is deleted (the task then is expired)'),
  })
  .meta({ id: 'BillingExportTask' });
const NotDownloadable = { status: 409, code: 'CBC.0102', when: 'the task has not succeeded yet, failed, or its file expired' };

export function exportTaskView(t: ExportTask) {
  return {
    task_id: t.id,
    export_type: t.exportType,
    params: t.params,
    status: t.status,
    file_name: t.fileName,
    file_format: t.format,
    file_size: t.sizeBytes === null ? null : Number(t.sizeBytes),
    row_count: t.rowCount,
    error_msg: t.error,
    created_time: t.createdAt.toISOString(),
    finished_time: t.finishedAt?.toISOString() ?? null,
    expire_time: t.expiresAt?.toISOString() ?? null,
  };
}

/**
 * Exports as asynchronous tasks ("export task created successfully"): create, the export-records
 * list, one task, the file. Bill and account exports carry every customer of the partner, so they
 * are for the partner's admin and finance staff, not salespeople.
 */
@Controller('v2/bills/export-tasks')
@RequirePermission('bills')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Post()
  @HttpCode(200)
  @ApiRoute({
    summary: 'Creates an export task (the file is produced asynchronously)',
    response: z.object({ task_id: z.string(), export_type: z.string(), status: z.literal('pending'), message: z.string() }),
  })
  async create(@ValidBody(CreateBody) body: z.infer<typeof CreateBody>, @CurrentPrincipal() principal: Principal) {
    const task = await this.exports.create(scopeOf(principal), body ?? {});
    return { task_id: task.id, export_type: task.exportType, status: task.status, message: 'Export task created successfully.' };
  }

  @Get()
  @ApiRoute({ summary: 'The partner\'s export tasks, newest first', response: z.object({ total_count: ApiTotalCount, export_records: z.array(ExportTaskResponse) }) })
  async list(@ValidQuery(ListQuery) q: z.infer<typeof ListQuery>, @CurrentPrincipal() principal: Principal) {
    const [rows, total] = await this.exports.list(scopeOf(principal), { offset: q.offset, limit: q.limit, status: q.status, exportType: q.export_type });
    return { total_count: total, export_records: rows.map(exportTaskView) };
  }

  @Get(':task_id')
  @ApiRoute({ summary: 'One of the partner\'s export tasks', response: ExportTaskResponse })
  async get(@ValidParams(TaskParams) { task_id }: z.infer<typeof TaskParams>, @CurrentPrincipal() principal: Principal) {
    return exportTaskView(await this.exports.get(scopeOf(principal), task_id));
  }

  @Get(':task_id/file')
  @ApiRoute({ summary: 'Downloads the file of a succeeded export task', response: { file: Object.values(CONTENT_TYPES) }, errors: [NotDownloadable] })
  async download(@ValidParams(TaskParams) { task_id }: z.infer<typeof TaskParams>, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    const { task, path } = await this.exports.file(scopeOf(principal), task_id);
    return new StreamableFile(createReadStream(path), {
      type: CONTENT_TYPES[task.format as keyof typeof CONTENT_TYPES],
      disposition: `attachment; filename="${task.fileName}"`,
      length: task.sizeBytes === null ? undefined : Number(task.sizeBytes),
    });
  }
}
