import { Controller, Get, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequirePermission, scopeOf } from '@settle/auth';
import { parseInput } from '@settle/platform';
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { ExportTask } from './export-task.entity';
import { ExportsService } from './exports.service';

const TaskParams = z.object({ task_id: z.uuid({ message: 'must be an export task id' }) }).strict();
const BillParams = z.object({ split_bill_id: z.uuid({ message: 'must be a split bill id' }) }).strict();
const ListQuery = z.object({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(10) }).strict();

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
  async create(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { split_bill_id } = parseInput(BillParams, params);
    const task = await this.exports.create(scopeOf(principal), split_bill_id);
    return { task_id: task.id, export_type: 'split-bill-details', status: task.status, message: 'Export task created successfully.' };
  }

  @Get('export-tasks')
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const [rows, total] = await this.exports.list(scopeOf(principal), parseInput(ListQuery, query));
    return { total_count: total, export_records: rows.map(exportTaskView) };
  }

  @Get('export-tasks/:task_id')
  async get(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { task_id } = parseInput(TaskParams, params);
    return exportTaskView(await this.exports.get(scopeOf(principal), task_id));
  }

  @Get('export-tasks/:task_id/file')
  async download(@Param() params: unknown, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    const { task_id } = parseInput(TaskParams, params);
    const { task, path } = await this.exports.file(scopeOf(principal), task_id);
    return new StreamableFile(createReadStream(path), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${task.fileName}"`, length: task.sizeBytes === null ? undefined : Number(task.sizeBytes) });
  }
}
