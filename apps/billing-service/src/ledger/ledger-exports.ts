import { IsoDateTimeSchema } from '@settle/contracts';
import { Money } from '@settle/money';
import { z } from 'zod';
import { TableExportSource, keysetBatches } from '../exports/export-source';

const Range = z
  .object({ trade_time_begin: IsoDateTimeSchema.optional(), trade_time_end: IsoDateTimeSchema.optional() })
  .strict();
type Range = z.infer<typeof Range>;

const amount = (minor: string, currency: string) => Money.fromMinor(minor, currency).toString();

/** "Export adjustment records": every funding and reclaim of the partner's customers (CSV). */
export const AdjustRecordsExport: TableExportSource<Range> = {
  type: 'adjust-records',
  format: 'table',
  description: 'Every funding (拨款) and reclaim (回收) between the partner and its customers, optionally within a time range.',
  params: Range,
  fileName: () => 'adjust-records',
  header: ['trans_id', 'apply_time', 'customer_id', 'operation_type', 'amount', 'currency', 'operator'],
  async *batches({ dataSource, partnerId, params }) {
    const rows = keysetBatches<{ id: string; created_at: Date; customer_id: string; entry_type: string; amount_minor: string; currency: string; created_by: string }>(
      (after, size) =>
        dataSource.query(
          `SELECT e.id, e.created_at, e.customer_id, e.entry_type, p.amount_minor::text, p.currency, e.created_by
             FROM journal_entries e JOIN postings p ON p.entry_id = e.id JOIN ledger_accounts a ON a.id = p.account_id AND a.owner_kind = 'customer'
            WHERE e.partner_id = $1 AND e.entry_type IN ('customer-funding', 'customer-reclaim')
              AND ($2::timestamptz IS NULL OR e.created_at >= $2) AND ($3::timestamptz IS NULL OR e.created_at < $3)
              AND ($4::uuid IS NULL OR e.id > $4::uuid)
            ORDER BY e.id LIMIT $5`,
          [partnerId, params.trade_time_begin ?? null, params.trade_time_end ?? null, after, size],
        ),
      (r) => r.id,
    );
    for await (const batch of rows) {
      yield batch.map((r) => [r.id, r.created_at.toISOString(), r.customer_id, r.entry_type === 'customer-funding' ? '1' : '2', Money.fromMinor(r.amount_minor, r.currency).abs().toString(), r.currency, r.created_by]);
    }
  },
};

/** "Export income and expense details": every posting on the partner's accounts with the balance after it (CSV). */
export const AccountChangeRecordsExport: TableExportSource<Range> = {
  type: 'account-change-records',
  format: 'table',
  description: 'Every income and expense (收支明细) on the partner’s accounts with the balance after it, optionally within a time range.',
  params: Range,
  fileName: () => 'account-change-records',
  header: ['trade_id', 'trade_time', 'trade_type', 'balance_type', 'amount', 'balance', 'currency', 'customer_id'],
  async *batches({ dataSource, partnerId, params }) {
    const rows = keysetBatches<{ id: string; entry_id: string; created_at: Date; entry_type: string; account_type: string; amount_minor: string; balance_after_minor: string; currency: string; customer_id: string | null }>(
      (after, size) =>
        dataSource.query(
          `SELECT p.id, p.entry_id, p.created_at, e.entry_type, a.account_type, p.amount_minor::text, p.balance_after_minor::text, p.currency, e.customer_id
             FROM postings p JOIN ledger_accounts a ON a.id = p.account_id JOIN journal_entries e ON e.id = p.entry_id
            WHERE a.owner_kind = 'partner' AND a.owner_id = $1
              AND ($2::timestamptz IS NULL OR p.created_at >= $2) AND ($3::timestamptz IS NULL OR p.created_at < $3)
              AND ($4::uuid IS NULL OR p.id > $4::uuid)
            ORDER BY p.id LIMIT $5`,
          [partnerId, params.trade_time_begin ?? null, params.trade_time_end ?? null, after, size],
        ),
      (r) => r.id,
    );
    for await (const batch of rows) {
      yield batch.map((r) => [r.entry_id, r.created_at.toISOString(), r.entry_type, r.account_type, amount(r.amount_minor, r.currency), amount(r.balance_after_minor, r.currency), r.currency, r.customer_id ?? '']);
    }
  },
};
