import { Body, Controller, Get, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequirePermission, scopeOf } from '@settle/auth';
import { parseInput } from '@settle/platform';
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
  async create(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const input = parseInput(z.record(z.string(), z.unknown()), body ?? {});
    const task = await this.exports.create(scopeOf(principal), input);
    return { task_id: task.id, export_type: task.exportType, status: task.status, message: 'Export task created successfully.' };
  }

  @Get()
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseInput(ListQuery, query);
    const [rows, total] = await this.exports.list(scopeOf(principal), { offset: q.offset, limit: q.limit, status: q.status, exportType: q.export_type });
    return { total_count: total, export_records: rows.map(exportTaskView) };
  }

  @Get(':task_id')
  async get(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { task_id } = parseInput(TaskParams, params);
    return exportTaskView(await this.exports.get(scopeOf(principal), task_id));
  }

  @Get(':task_id/file')
  async download(@Param() params: unknown, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    const { task_id } = parseInput(TaskParams, params);
    const { task, path } = await this.exports.file(scopeOf(principal), task_id);
    return new StreamableFile(createReadStream(path), {
      type: CONTENT_TYPES[task.format as keyof typeof CONTENT_TYPES],
      disposition: `attachment; filename="${task.fileName}"`,
      length: task.sizeBytes === null ? undefined : Number(task.sizeBytes),
    });
  }
}
