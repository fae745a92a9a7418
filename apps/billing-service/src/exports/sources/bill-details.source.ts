import { BillCycleSchema } from '@settle/contracts';
import { Decimal, Money } from '@settle/money';
import { z } from 'zod';
import { RatedLinesReader } from '../../rating/rated-lines.reader';
import { TableExportSource, keysetBatches } from '../export-source';

const Params = z.object({ bill_cycle: BillCycleSchema }).strict();
type Params = z.infer<typeof Params>;

interface LineRow {
  id: string;
  bill_cycle: string;
  customer_id: string;
  record_id: string;
  line_type: string;
  record_type: string;
  references_record_id: string | null;
  usage_cycle: string;
  association_type: number;
  service_type_code: string;
  resource_type_code: string;
  resource_id: string;
  region_code: string;
  charge_mode: string;
  usage: string;
  usage_measure_id: number;
  occurred_at: Date;
  currency: string;
  official_amount_minor: string;
  discount_rate: string;
  discount_amount_minor: string;
  rated_amount_minor: string;
  status: string;
}

const amount = (minor: string, currency: string) => Money.fromMinor(minor, currency).toString();

/** "Export bill details": every bill line of one cycle of the partner, as booked (CSV). */
export const BillDetailsExport: TableExportSource<Params> = {
  type: 'bill-details',
  format: 'table',
  description: 'Every bill line (rated usage record, refund, adjustment, correction) of one bill cycle.',
  params: Params,
  fileName: (p) => `bill-details-${p.bill_cycle}`,
  header: [
    'bill_cycle',
    'customer_id',
    'record_id',
    'line_type',
    'record_type',
    'references_record_id',
    'usage_cycle',
    'association_type',
    'service_type_code',
    'resource_type_code',
    'resource_id',
    'region_code',
    'charge_mode',
    'usage',
    'measure_id',
    'occurred_at',
    'currency',
    'official_amount',
    'discount_rate',
    'discount_amount',
    'amount',
    'status',
  ],
  async *batches({ dataSource, partnerId, params }) {
    const batches = keysetBatches<LineRow>(
      (after, size) =>
        RatedLinesReader.pageAfter<LineRow>(dataSource, partnerId, params.bill_cycle, after, size),
      (row) => row.id,
    );
    for await (const rows of batches) {
      yield rows.map((l) => [
        l.bill_cycle,
        l.customer_id,
        l.record_id,
        l.line_type,
        l.record_type,
        l.references_record_id ?? '',
        l.usage_cycle,
        String(l.association_type),
        l.service_type_code,
        l.resource_type_code,
        l.resource_id,
        l.region_code,
        l.charge_mode,
        Decimal.of(l.usage).normalize().toString(),
        String(l.usage_measure_id),
        l.occurred_at.toISOString(),
        l.currency,
        amount(l.official_amount_minor, l.currency),
        Decimal.of(l.discount_rate).normalize().toString(),
        amount(l.discount_amount_minor, l.currency),
        amount(l.rated_amount_minor, l.currency),
        l.status,
      ]);
    }
  },
};
