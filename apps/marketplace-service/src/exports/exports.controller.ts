import { Controller, Get, HttpCode, Post, StreamableFile } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequirePermission, scopeOf } from '@settle/auth';
import { ApiTimestamp, ApiTotalCount, ApiUuid } from '@settle/contracts';
import { ApiRoute, ValidParams, ValidQuery } from '@settle/platform';
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { ExportTask } from './export-task.entity';
import { ExportsService } from './exports.service';

const TaskParams = z.object({ task_id: z.uuid({ message: 'must be an export task id' }) }).strict();
const BillParams = z.object({ split_bill_id: z.uuid({ message: 'must be a split bill id' }) }).strict();
const ListQuery = z.object({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(10) }).strict();

const ExportType = z.literal('split-bill-details').describe('What is exported: the lines of a split bill.');
const ExportStatus = z
  .enum(['pending', 'running', 'succeeded', 'failed', 'expired'])
  .describe('pending: waiting for the worker; running: being written; succeeded: downloadable until expire_time; failed: every attempt failed (error_msg says why); expired: the file was deleted.');

/** An export task as `exportTaskView` writes it. */
const ExportTaskResponse = z
  .object({
    task_id: ApiUuid,
    export_type: ExportType,
    split_bill_id: ApiUuid,
    status: ExportStatus,
    file_name: z.string(),
    file_format: z.literal('csv'),
    file_size: z.number().int().nullable().describe('The file\'s size in bytes, once written.'),
    row_count: z.number().int().nullable().describe('How many lines the file holds, once written.'),
    error_msg: z.string().nullable().describe('Why the last attempt failed.'),
    created_time: ApiTimestamp,
    finished_time: ApiTimestamp.nullable(),
    expire_time: ApiTimestamp.nullable().describe('Until when the file can be downloaded.'),
  })
  .meta({ id: 'MarketplaceExportTask' });

const CreatedResponse = z.object({ task_id: ApiUuid, export_type: ExportType, status: ExportStatus, message: z.string() });
const ListResponse = z.object({ total_count: ApiTotalCount, export_records: z.array(ExportTaskResponse) });
const NotDownloadable = { status: 409, code: 'CBC.0102', when: 'the task has not succeeded (still pending or running), or it failed or expired' };

function exportTaskView(t: ExportTask) {
  return {
    task_id: t.id,
    export_type: 'split-bill-details',
    split_bill_id: t.splitBillId,
    status: t.status,
    file_name: t.fileName,
    file_format: 'csv',
    file_size: t.sizeBytes === null ? null : Number(t.sizeBytes),
    row_count: t.rowCount,
    error_msg: t.error,
    created_time: t.createdAt.toISOString(),
    finished_time: t.finishedAt?.toISOString() ?? null,
    expire_time: t.expiresAt?.toISOString() ?? null,
  };
}

/** Partner API: export a split bill's lines as an asynchronous task, the export records, the file. */
@Controller('v2/marketplace')
@RequirePermission('marketplace:split-bills')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Post('split-bills/:split_bill_id/export-tasks')
  @HttpCode(200)
  @ApiRoute({ summary: 'Starts an asynchronous export of a split bill\'s lines as CSV (program partners only)', response: CreatedResponse })
  async create(@ValidParams(BillParams) { split_bill_id }: z.infer<typeof BillParams>, @CurrentPrincipal() principal: Principal) {
    const task = await this.exports.create(scopeOf(principal), split_bill_id);
    return { task_id: task.id, export_type: 'split-bill-details', status: task.status, message: 'Export task created successfully.' };
  }

  @Get('export-tasks')
  @ApiRoute({ summary: 'The partner\'s export tasks, newest first', response: ListResponse })
  async list(@ValidQuery(ListQuery) page: z.infer<typeof ListQuery>, @CurrentPrincipal() principal: Principal) {
    const [rows, total] = await this.exports.list(scopeOf(principal), page);
    return { total_count: total, export_records: rows.map(exportTaskView) };
  }

  @Get('export-tasks/:task_id')
  @ApiRoute({ summary: 'One export task and its status', response: ExportTaskResponse })
  async get(@ValidParams(TaskParams) { task_id }: z.infer<typeof TaskParams>, @CurrentPrincipal() principal: Principal) {
    return exportTaskView(await this.exports.get(scopeOf(principal), task_id));
  }

  @Get('export-tasks/:task_id/file')
  @ApiRoute({ summary: 'Downloads the CSV file of a succeeded export task', response: { file: ['text/csv'], description: 'The split bill\'s lines as CSV (UTF-8 with a byte order mark), as an attachment.' }, errors: [NotDownloadable] })
  async download(@ValidParams(TaskParams) { task_id }: z.infer<typeof TaskParams>, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    const { task, path } = await this.exports.file(scopeOf(principal), task_id);
    return new StreamableFile(createReadStream(path), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${task.fileName}"`, length: task.sizeBytes === null ? undefined : Number(task.sizeBytes) });
  }
}
