import { BILLING_UTC_OFFSET_MINUTES, UsageRecordData, billCycleOf } from '@settle/contracts';
import { createHash } from 'node:crypto';

/**
 * The bench's data set, generated here and the same for the same seed: customers spread over
 * partners round robin, usage records of a realistic mix of services for customers drawn at
 * random, amounts in cents, instants inside the record's cycle. Any record can be generated on
 * its own from its index, so a million records are never held in memory.
 */

/** [service type, resource type, unit of measure (catalog id), largest usage]. */
export const SERVICE_MIX: readonly (readonly [string, string, number, number])[] = [
  ['hws.service.type.ec2', 'hws.resource.type.vm', 4, 744],
  ['hws.service.type.ec2', 'hws.resource.type.vm', 9, 3600],
  ['hws.service.type.ebs', 'hws.resource.type.volume', 10, 2048],
  ['hws.service.type.obs', 'hws.resource.type.bucket', 10, 10_240],
  ['hws.service.type.vpc', 'hws.resource.type.bandwidth', 11, 100_000],
  ['hws.service.type.eip', 'hws.resource.type.ip', 4, 744],
  ['hws.service.type.rds', 'hws.resource.type.rds.instance', 4, 744],
  ['hws.service.type.cdn', 'hws.resource.type.cdn.domain', 10, 5_000],
  ['hws.service.type.functiongraph', 'hws.resource.type.function', 16, 1_000_000],
  ['hws.service.type.dcs', 'hws.resource.type.dcs.instance', 4, 744],
];

const REGIONS = ['cn-north-4', 'cn-east-3', 'cn-south-1', 'ap-southeast-1'] as const;

/** A 32-bit integer hash of (seed, lane, index): the bench's only source of randomness. */
export function hash32(seed: number, lane: number, index: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(lane + 0x27d4eb2f, 0xc2b2ae35) ^ Math.imul(index + 0x165667b1, 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return h >>> 0;
}

function stringHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** An integer in [0, n). */
function pick(seed: number, lane: number, index: number, n: number): number {
  return hash32(seed, lane, index) % n;
}

export function customerIdOf(runTag: string, index: number): string {
  return `${runTag}-cust-${index}`;
}

/** The partner (by index) a customer is associated with: round robin, so every partner has customers. */
export function partnerIndexOfCustomer(customerIndex: number, partners: number): number {
  return customerIndex % partners;
}

export function addMonths(cycle: string, months: number): string {
  const [year, month] = cycle.split('-').map(Number);
  const total = year * 12 + (month - 1) + months;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** The first instant of a cycle and of the next one (cycles are in UTC+08:00). */
export function cycleBounds(cycle: string): { start: Date; end: Date } {
  const at = (c: string) => {
    const [year, month] = c.split('-').map(Number);
    return new Date(Date.UTC(year, month - 1, 1) - BILLING_UTC_OFFSET_MINUTES * 60_000);
  };
  return { start: at(cycle), end: at(addMonths(cycle, 1)) };
}

/** `count` consecutive past cycles, the last one being the cycle before `now`'s. */
export function pastCycles(now: Date, count: number): string[] {
  const last = addMonths(billCycleOf(now), -1);
  return Array.from({ length: count }, (_, i) => addMonths(last, i - count + 1));
}

export interface RecordContext {
  runTag: string;
  seed: number;
  customers: number;
  cycle: string;
  /** Distinguishes the record sets of one run (each phase has its own). */
  set: string;
}

/** The record with this index of a set: valid against the usage record contract and the seeded catalog. */
export function usageRecordOf(index: number, ctx: RecordContext): UsageRecordData {
  const salt = stringHash(ctx.set);
  const lane = (n: number) => (salt + n) | 0;
  const customer = pick(ctx.seed, lane(1), index, ctx.customers);
  const [service, resource, measureId, maxUsage] = SERVICE_MIX[pick(ctx.seed, lane(2), index, SERVICE_MIX.length)];
  const { start, end } = cycleBounds(ctx.cycle);
  const seconds = Math.floor((end.getTime() - start.getTime()) / 1000);
  const occurredAt = new Date(start.getTime() + pick(ctx.seed, lane(3), index, seconds) * 1000);
  const cents = 1 + pick(ctx.seed, lane(4), index, 50_000);
  return {
    record_id: `${ctx.runTag}-${ctx.set}-${index}`,
    customer_id: customerIdOf(ctx.runTag, customer),
    service_type_code: service,
    resource_type_code: resource,
    resource_id: `${resource.split('.').pop()}-${customer}-${pick(ctx.seed, lane(5), index, 8)}`,
    region_code: REGIONS[pick(ctx.seed, lane(6), index, REGIONS.length)],
    usage: String(1 + pick(ctx.seed, lane(7), index, maxUsage)),
    usage_measure_id: measureId,
    charge_mode: 'on-demand',
    record_type: 'consumption',
    official_amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
    currency: 'CNY',
    occurred_at: occurredAt.toISOString(),
    bill_cycle: ctx.cycle,
  };
}

/**
 * The CloudEvents id of a record's event: a name-based UUID (version 5 layout over SHA-1 of the
 * record id), so sending a record again is a redelivery of the same event, as a rating system's
 * retry would be. Consumers require ce_id to be a UUID.
 */
export function eventIdOf(recordId: string): string {
  const bytes = createHash('sha1').update(`settle-bench/${recordId}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
