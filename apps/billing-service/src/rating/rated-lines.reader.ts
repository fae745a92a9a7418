import { EntityManager } from 'typeorm';

/** Anything that runs SQL: a transaction's manager or the datasource. */
type Queryable = Pick<EntityManager, 'query'>;

/** The public API's bill type of a line: 0 consumption, 1 refund, 2 adjustment (a correction after close is one). */
const BILL_TYPE_SQL = `CASE WHEN line_type = 'correction-adjustment' OR record_type = 'adjustment' THEN '2' WHEN record_type = 'refund' THEN '1' ELSE '0' END`;
/** Lines of the customers a salesperson manages now. */
const MANAGED_SQL = 'association_id IN (SELECT association_id FROM customer_ownership WHERE account_manager_id = ?)';

/** What bill arithmetic needs of a line. */
export interface BillLineRow {
  customer_id: string;
  service_type_code: string;
  line_type: string;
  record_type: string;
  currency: string;
  official_amount_minor: string;
  discount_amount_minor: string;
  rated_amount_minor: string;
}

/** What the consumption summary for incentives needs of a line. */
export interface ConsumptionLineRow {
  id: string;
  customer_id: string;
  association_type: number;
  service_type_code: string;
  line_type: string;
  record_type: string;
  record_id: string;
  references_record_id: string | null;
  usage_cycle: string;
  rated_amount_minor: string;
}

export interface LineFilter {
  partnerId: string;
  cycle: string;
  /** Only the lines of customers this salesperson manages now. */
  accountManagerId?: string;
  customerId?: string;
  serviceTypeCode?: string;
  regionCode?: string;
  chargeMode?: string;
  billType?: string;
  resourceId?: string;
  recordId?: string;
  associationType?: number;
}

function whereOf(f: LineFilter): { where: string; args: unknown[] } {
  const clauses = ['partner_id = $1', 'bill_cycle = $2'];
  const args: unknown[] = [f.partnerId, f.cycle];
  const add = (sql: string, value: unknown) => {
    if (value === undefined) return;
    args.push(value);
    clauses.push(sql.replace('?', `$${args.length}`));
  };
  add(MANAGED_SQL, f.accountManagerId);
  add('customer_id = ?', f.customerId);
  add('service_type_code = ?', f.serviceTypeCode);
  add('region_code = ?', f.regionCode);
  add('charge_mode = ?', f.chargeMode);
  add(`${BILL_TYPE_SQL} = ?`, f.billType);
  add('resource_id = ?', f.resourceId);
  add('record_id = ?', f.recordId);
  add('association_type = ?', f.associationType);
  return { where: clauses.join(' AND '), args };
}

/**
 * The one reader of `rated_lines` outside rating's own writes: bill generation, the partner bill
 * APIs and the exports all read lines through it.
 */
export const RatedLinesReader = {
  /** The partners with lines in a cycle, in id order. */
  async partnersOfCycle(q: Queryable, cycle: string): Promise<string[]> {
    const rows: { partner_id: string }[] = await q.query(`SELECT DISTINCT partner_id FROM rated_lines WHERE bill_cycle = $1 ORDER BY partner_id`, [cycle]);
    return rows.map((r) => r.partner_id);
  },

  /** A partner's lines of a cycle, as bill arithmetic takes them. */
  billLines(q: Queryable, partnerId: string, cycle: string): Promise<BillLineRow[]> {
    return q.query(
      `SELECT customer_id, service_type_code, line_type, record_type, currency, official_amount_minor, discount_amount_minor, rated_amount_minor
         FROM rated_lines WHERE partner_id = $1 AND bill_cycle = $2`,
      [partnerId, cycle],
    );
  },

  /** A partner's lines of a cycle and currency, as the consumption summary for incentives takes them. */
  consumptionLines(q: Queryable, partnerId: string, cycle: string, currency: string): Promise<ConsumptionLineRow[]> {
    return q.query(
      `SELECT id, customer_id, association_type, service_type_code, line_type, record_type, record_id, references_record_id, usage_cycle, rated_amount_minor
         FROM rated_lines WHERE partner_id = $1 AND bill_cycle = $2 AND currency = $3`,
      [partnerId, cycle, currency],
    );
  },

  /** Keyset pages of a partner's lines of a cycle (whole rows), after line id `after`. */
  pageAfter<T>(q: Queryable, partnerId: string, cycle: string, after: string | null, size: number): Promise<T[]> {
    return q.query(`SELECT * FROM rated_lines WHERE partner_id = $1 AND bill_cycle = $2 AND ($3::uuid IS NULL OR id > $3::uuid) ORDER BY id LIMIT $4`, [partnerId, cycle, after, size]);
  },

  /** Lines summed per customer, service type, charge mode, bill type and currency: a page and the number of groups. */
  async monthlySums(q: Queryable, filter: LineFilter, page: { offset: number; limit: number }): Promise<{ total: number; rows: Record<string, string>[] }> {
    const { where, args } = whereOf(filter);
    const grouped = `SELECT customer_id, service_type_code, charge_mode, ${BILL_TYPE_SQL} AS bill_type, currency,
                            sum(official_amount_minor)::text AS official, sum(discount_amount_minor)::text AS discount, sum(rated_amount_minor)::text AS rated
                       FROM rated_lines WHERE ${where}
                      GROUP BY customer_id, service_type_code, charge_mode, ${BILL_TYPE_SQL}, currency`;
    const [{ total }] = await q.query(`SELECT count(*)::int AS total FROM (${grouped}) g`, args);
    const rows = await q.query(`${grouped} ORDER BY customer_id, service_type_code, charge_mode, bill_type, currency OFFSET $${args.length + 1} LIMIT $${args.length + 2}`, [
      ...args,
      page.offset,
      page.limit,
    ]);
    return { total, rows };
  },

  /** Single lines (with their bill type) in time order: a page and the number of lines. */
  async lines(q: Queryable, filter: LineFilter, page: { offset: number; limit: number }): Promise<{ total: number; rows: Record<string, string & Date>[] }> {
    const { where, args } = whereOf(filter);
    const [{ total }] = await q.query(`SELECT count(*)::int AS total FROM rated_lines WHERE ${where}`, args);
    const rows = await q.query(`SELECT *, ${BILL_TYPE_SQL} AS bill_type FROM rated_lines WHERE ${where} ORDER BY occurred_at, record_id OFFSET $${args.length + 1} LIMIT $${args.length + 2}`, [
      ...args,
      page.offset,
      page.limit,
    ]);
    return { total, rows };
  },
};
