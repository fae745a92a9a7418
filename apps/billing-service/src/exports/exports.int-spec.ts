import { waitFor } from '@settle/testing';
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BillingStack, startBillingStack, usageRecord } from '../testing/billing-stack';
import { ExportTask } from './export-task.entity';
import { ExportsService } from './exports.service';

/**
 * Exports as asynchronous tasks on the real stack: created at once, produced by the BullMQ worker
 * into files, listed with status/size/expiry, downloaded through the gateway, isolated per partner,
 * expired by the sweep.
 */
let stack: BillingStack;
let exportDir: string;

beforeAll(async () => {
  exportDir = await mkdtemp(join(tmpdir(), 'settle-exports-'));
  stack = await startBillingStack({ EXPORT_DIR: exportDir });
}, 180_000);

afterAll(async () => {
  await stack?.close();
  if (exportDir) await rm(exportDir, { recursive: true, force: true });
}, 60_000);

/** A partner with one customer whose April 2025 usage is `records` lines. */
async function partnerWithLines(count: number) {
  const partner = await stack.createPartner();
  const customer = await stack.associate(partner.partner_id, { effectiveFrom: '2025-01-01T00:00:00.000Z' });
  await stack.owned(customer, partner.partner_id, '2025-04-10T04:00:00.000Z');
  await stack.ingest(Array.from({ length: count }, (_, i) => usageRecord(customer, { official_amount: `${(i % 50) + 1}.25`, resource_id: `vm-${i}` })));
  return { partner, customer };
}

async function finished(call: ReturnType<BillingStack['partner']>, taskId: string) {
  return waitFor(async () => {
    const res = await call('GET', `/v2/bills/export-tasks/${taskId}`, { query: { poll: String(Date.now()) } });
    return ['succeeded', 'failed'].includes(res.body.status) ? res.body : undefined;
  }, `export task ${taskId} to finish`, { timeoutMs: 60_000, intervalMs: 200 });
}

function parseCsv(text: string): string[][] {
  // The values exported here hold no commas, quotes or line breaks (fetch's decoder drops the BOM).
  return text.replace(/^\uFEFF/, '').trimEnd().split('\n').map((line) => line.split(','));
}

describe('exports as asynchronous tasks', () => {
  it('exports every bill line of a cycle as CSV, across several batches, and lists the task with size and expiry', async () => {
    const { partner } = await partnerWithLines(2_345);
    const call = stack.partner(partner);
    const created = await call('POST', '/v2/bills/export-tasks', { body: { export_type: 'bill-details', bill_cycle: '2025-04' } });
    expect(created).toMatchObject({ status: 200, body: { task_id: expect.any(String), export_type: 'bill-details', status: 'pending', message: 'Export task created successfully.' } });
    const task = await finished(call, created.body.task_id);
    expect(task).toMatchObject({ status: 'succeeded', row_count: 2_345, file_name: 'bill-details-2025-04.csv', file_format: 'csv', error_msg: null });
    const ttl = new Date(task.expire_time).getTime() - new Date(task.finished_time).getTime();
    expect(ttl).toBe(7 * 24 * 3600 * 1000);

    const file = await call('GET', `/v2/bills/export-tasks/${task.task_id}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="bill-details-2025-04.csv"');
    expect(Number(file.headers.get('content-length'))).toBe(task.file_size);
    // A UTF-8 BOM opens the file, so spreadsheet tools read it as UTF-8.
    const onDisk = await readFile(join(exportDir, partner.partner_id, `${task.task_id}.csv`));
    expect([...onDisk.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(file.body as string);
    expect(header.slice(0, 4)).toEqual(['bill_cycle', 'customer_id', 'record_id', 'line_type']);
    expect(rows).toHaveLength(2_345);
    expect(new Set(rows.map((r) => r[header.indexOf('record_id')])).size).toBe(2_345);
    // The file's amounts are the booked amounts, to the cent: sum(1.25 … 50.25 cycling) over 2,345 lines.
    const cents = rows.reduce((sum, r) => sum + BigInt(r[header.indexOf('amount')].replace('.', '')), 0n);
    const expected = Array.from({ length: 2_345 }, (_, i) => BigInt((i % 50) + 1) * 100n + 25n).reduce((a, b) => a + b, 0n);
    expect(cents).toBe(expected);

    const listed = await call('GET', '/v2/bills/export-tasks', { query: { limit: '5' } });
    expect(listed.body).toMatchObject({ total_count: 1, export_records: [{ task_id: task.task_id, status: 'succeeded', file_size: task.file_size }] });
  });

  it('writes the same table as XLSX on request: the CSV header and rows, amounts as exact text', async () => {
    const { partner } = await partnerWithLines(1_234);
    const call = stack.partner(partner);
    const asCsv = await call('POST', '/v2/bills/export-tasks', { body: { export_type: 'bill-details', bill_cycle: '2025-04' } });
    const asXlsx = await call('POST', '/v2/bills/export-tasks', { body: { export_type: 'bill-details', bill_cycle: '2025-04', file_format: 'xlsx' } });
    const csvTask = await finished(call, asCsv.body.task_id);
    const xlsxTask = await finished(call, asXlsx.body.task_id);
    expect(xlsxTask).toMatchObject({ status: 'succeeded', row_count: 1_234, file_name: 'bill-details-2025-04.xlsx', file_format: 'xlsx', params: { bill_cycle: '2025-04' } });

    const file = await call('GET', `/v2/bills/export-tasks/${xlsxTask.task_id}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="bill-details-2025-04.xlsx"');
    expect(Number(file.headers.get('content-length'))).toBe(xlsxTask.file_size);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(exportDir, partner.partner_id, `${xlsxTask.task_id}.xlsx`));
    const sheet = workbook.getWorksheet('bill-details')!;
    const xlsxRows: string[][] = [];
    const csvRows = parseCsv((await call('GET', `/v2/bills/export-tasks/${csvTask.task_id}/file`)).body as string);
    const columns = csvRows[0].length;
    sheet.eachRow((row) => xlsxRows.push(Array.from({ length: columns }, (_, i) => row.getCell(i + 1).text)));
    expect(xlsxRows).toHaveLength(1_235);
    expect(xlsxRows).toEqual(csvRows);
    const amountColumn = csvRows[0].indexOf('amount');
    expect(sheet.getRow(2).getCell(amountColumn + 1).type).toBe(ExcelJS.ValueType.String);
  });

  it('keeps every partner to its own tasks and files, and keeps salespeople out', async () => {
    const { partner } = await partnerWithLines(3);
    const other = await stack.createPartner();
    const created = await stack.partner(partner)('POST', '/v2/bills/export-tasks', { body: { export_type: 'bill-details', bill_cycle: '2025-04' } });
    const task = await finished(stack.partner(partner), created.body.task_id);
    expect(task.status).toBe('succeeded');

    const asOther = stack.partner(other);
    for (const path of [`/v2/bills/export-tasks/${task.task_id}`, `/v2/bills/export-tasks/${task.task_id}/file`]) {
      expect(await asOther('GET', path)).toMatchObject({ status: 404, body: { error_code: 'CBC.0101', error_msg: `Export task ${task.task_id} does not exist.` } });
    }
    expect((await asOther('GET', '/v2/bills/export-tasks')).body).toEqual({ total_count: 0, export_records: [] });
    // Another partner's export of the same cycle holds only its own lines (none).
    const own = await asOther('POST', '/v2/bills/export-tasks', { body: { export_type: 'bill-details', bill_cycle: '2025-04' } });
    expect((await finished(asOther, own.body.task_id)).row_count).toBe(0);

    const member = await stack.operator('POST', `/operator/partners/${partner.partner_id}/members`, { body: { name: 'Sales', role: 'salesperson' } });
    const key = await stack.operator('POST', `/operator/partners/${partner.partner_id}/access-keys`, { body: { member_id: member.body.member_id } });
    const asSales = stack.partner(key.body);
    expect(await asSales('POST', '/v2/bills/export-tasks', { body: { export_type: 'bill-details', bill_cycle: '2025-04' } })).toMatchObject({ status: 403, body: { error_code: 'CBC.0151' } });
    expect(await asSales('GET', `/v2/bills/export-tasks/${task.task_id}/file`)).toMatchObject({ status: 403 });
  });

  it('answers caller mistakes with 400 in the API error shape', async () => {
    const partner = await stack.createPartner();
    const call = stack.partner(partner);
    const cases: [unknown, RegExp][] = [
      [{ export_type: 'everything', bill_cycle: '2025-04' }, /^export_type: must be one of .*bill-details/],
      [{ bill_cycle: '2025-04' }, /^export_type: must be one of/],
      [{ export_type: 'bill-details', bill_cycle: '2025-13' }, /bill_cycle/],
      [{ export_type: 'bill-details' }, /bill_cycle/],
      [{ export_type: 'bill-details', bill_cycle: '2025-04', extra: 1 }, /extra/],
      [{ export_type: 'bill-details', bill_cycle: '2025-04', file_format: 'docx' }, /^file_format: bill-details is written as csv or xlsx\.$/],
      [{ export_type: 'bill-pdf', bill_cycle: '2025-04', file_format: 'xlsx' }, /^file_format: bill-pdf is written as pdf\.$/],
    ];
    for (const [body, message] of cases) {
      const res = await call('POST', '/v2/bills/export-tasks', { body });
      expect({ body, status: res.status, code: res.body.error_code }).toEqual({ body, status: 400, code: 'CBC.0100' });
      expect(res.body.error_msg).toMatch(message);
    }
    expect(await call('GET', '/v2/bills/export-tasks/not-a-uuid')).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
    expect(await call('GET', '/v2/bills/export-tasks', { query: { limit: '101' } })).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
    expect((await call('GET', '/v2/bills/export-tasks')).body.total_count).toBe(0);
  });

  it('expires files past their expiry (deleted, download refused), and produces a task left pending by a crash', async () => {
    const { partner } = await partnerWithLines(2);
    const call = stack.partner(partner);
    const created = await call('POST', '/v2/bills/export-tasks', { body: { export_type: 'bill-details', bill_cycle: '2025-04' } });
    const task = await finished(call, created.body.task_id);
    const partnerDir = join(exportDir, partner.partner_id);
    expect(await readdir(partnerDir)).toEqual([`${task.task_id}.csv`]);

    const exports = stack.app.get(ExportsService);
    const later = new Date(new Date(task.expire_time).getTime() + 1_000);
    expect((await exports.sweep(60_000, later)).expired).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(partnerDir, `${task.task_id}.csv`))).toBe(false);
    expect((await call('GET', `/v2/bills/export-tasks/${task.task_id}`)).body.status).toBe('expired');
    expect(await call('GET', `/v2/bills/export-tasks/${task.task_id}/file`)).toMatchObject({ status: 409, body: { error_code: 'CBC.0102', error_msg: expect.stringMatching(/expired .* create a new export/) } });

    // A task committed but never enqueued (the process died in between) is produced by the sweep.
    const orphan = randomUUID();
    await stack.dataSource.getRepository(ExportTask).save({
      id: orphan,
      partnerId: partner.partner_id,
      exportType: 'bill-details',
      params: { bill_cycle: '2025-04' },
      format: 'csv',
      status: 'pending',
      fileName: 'bill-details-2025-04.csv',
      requestedBy: 'test',
      createdAt: new Date(Date.now() - 120_000),
    });
    expect((await exports.sweep(60_000)).requeued).toBe(1);
    expect(await finished(call, orphan)).toMatchObject({ status: 'succeeded', row_count: 2 });
    // Producing it again (a duplicate delivery) changes nothing.
    expect(await exports.produce(orphan, { number: 2, last: false })).toEqual({ status: 'succeeded' });
    expect((await readdir(partnerDir)).sort()).toEqual([`${orphan}.csv`]);
  });
});
