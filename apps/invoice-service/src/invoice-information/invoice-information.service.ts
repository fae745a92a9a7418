import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PartnerScope } from '@settle/auth';
import { BadParameterError, ConflictError, NotFoundError } from '@settle/contracts';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { InvoiceInformationAudit, InvoiceInformationAction } from './invoice-information-audit.entity';
import { InvoiceInformation, InvoiceType } from './invoice-information.entity';
import { RuleBreach, checkAddition, checkTemplate, checkTitleChange, checkUpdate } from './invoice-information.rules';

export interface InvoiceInformationFields {
  taxpayerId: string;
  invoiceType: InvoiceType;
  bankName: string | null;
  bankAccount: string | null;
  registeredAddress: string | null;
  registeredPhone: string | null;
  mailingRecipient: string;
  mailingPhone: string;
  mailingAddress: string;
}

const FIELDS: (keyof InvoiceInformationFields | 'title')[] = ['title', 'taxpayerId', 'invoiceType', 'bankName', 'bankAccount', 'registeredAddress', 'registeredPhone', 'mailingRecipient', 'mailingPhone', 'mailingAddress'];

/** A broken rule as the API answers it: 409 when the account's state refuses it, 400 for the input itself. */
function refuse(breach: RuleBreach | null, status: 400 | 409): void {
  if (!breach) return;
  throw status === 409 ? new ConflictError(breach.message, breach.code) : new BadParameterError(breach.message, breach.code);
}

function fieldsOf(info: Partial<InvoiceInformation>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (info as Record<string, unknown>)[k] ?? null]));
}

/**
 * An account's invoice information: add (the one-valid rule at the clock's now, serialized per
 * account), update (never the title), "manage invoice information" for the title, void; every change
 * audited in the same transaction. All of it in the partner's scope (row-level security).
 */
@Injectable()
export class InvoiceInformationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  add(scope: PartnerScope, input: InvoiceInformationFields & { title: string }): Promise<InvoiceInformation> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      refuse(checkTemplate(input), 400);
      // Two adds at once would both see "none valid": one account's adds take turns.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('invoice-information'), hashtext($1))`, [scope.partnerId]);
      const held = await m.find(InvoiceInformation, { where: { partnerId: scope.partnerId } });
      const now = this.clock.now();
      refuse(checkAddition(now, held), 409);
      const info: InvoiceInformation = { id: randomUUID(), partnerId: scope.partnerId, ...input, status: 'valid', createdAt: now, createdBy: scope.actor, updatedAt: now, updatedBy: scope.actor };
      await m.insert(InvoiceInformation, info);
      await this.audit(m, info, 'created', null, fieldsOf(info, FIELDS), null, scope.actor, now);
      return info;
    });
  }

  update(scope: PartnerScope, id: string, patch: Partial<InvoiceInformationFields> & { title?: string }): Promise<InvoiceInformation> {
    return this.change(scope, id, async (m, current, now) => {
      refuse(checkUpdate(current, patch), 400);
      const next = { ...current, ...patch };
      refuse(checkTemplate(next), 400);
      const changed = FIELDS.filter((k) => k !== 'title' && k in patch && (patch as Record<string, unknown>)[k] !== (current as unknown as Record<string, unknown>)[k]);
      if (!changed.length) return current;
      await m.update(InvoiceInformation, { id }, { ...fieldsOf(next, changed), updatedAt: now, updatedBy: scope.actor });
      await this.audit(m, current, 'updated', fieldsOf(current, changed), fieldsOf(next, changed), null, scope.actor, now);
      return { ...next, updatedAt: now, updatedBy: scope.actor };
    });
  }

  /** "Manage invoice information": the one way a title changes, with a reason, audited. */
  changeTitle(scope: PartnerScope, id: string, title: string, reason: string | null): Promise<InvoiceInformation> {
    return this.change(scope, id, async (m, current, now) => {
      refuse(checkTitleChange(current, title), 409);
      await m.update(InvoiceInformation, { id }, { title, updatedAt: now, updatedBy: scope.actor });
      await this.audit(m, current, 'title-changed', { title: current.title }, { title }, reason, scope.actor, now);
      return { ...current, title, updatedAt: now, updatedBy: scope.actor };
    });
  }

  void(scope: PartnerScope, id: string): Promise<InvoiceInformation> {
    return this.change(scope, id, async (m, current, now) => {
      if (current.status === 'void') return current;
      await m.update(InvoiceInformation, { id }, { status: 'void', updatedAt: now, updatedBy: scope.actor });
      await this.audit(m, current, 'voided', { status: 'valid' }, { status: 'void' }, null, scope.actor, now);
      return { ...current, status: 'void', updatedAt: now, updatedBy: scope.actor };
    });
  }

  list(scope: PartnerScope): Promise<InvoiceInformation[]> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => m.find(InvoiceInformation, { where: { partnerId: scope.partnerId }, order: { createdAt: 'ASC', id: 'ASC' } }));
  }

  get(scope: PartnerScope, id: string): Promise<InvoiceInformation> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => this.find(m, scope.partnerId, id));
  }

  auditOf(scope: PartnerScope, id: string): Promise<InvoiceInformationAudit[]> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      await this.find(m, scope.partnerId, id);
      return m.find(InvoiceInformationAudit, { where: { invoiceInformationId: id }, order: { at: 'ASC', id: 'ASC' } });
    });
  }

  /** Whether the account may add one now (what the list shows next to the records). */
  mayAdd(held: readonly InvoiceInformation[]): boolean {
    return checkAddition(this.clock.now(), held) === null;
  }

  /** The valid invoice information of an account, for a bill invoice (in the caller's transaction). */
  validOf(m: EntityManager, partnerId: string): Promise<InvoiceInformation[]> {
    return m.find(InvoiceInformation, { where: { partnerId, status: 'valid' }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  operatorList(partnerId: string): Promise<InvoiceInformation[]> {
    return inSystemScope(this.dataSource, (m) => m.find(InvoiceInformation, { where: { partnerId }, order: { createdAt: 'ASC', id: 'ASC' } }));
  }

  private async find(m: EntityManager, partnerId: string, id: string, lock = false): Promise<InvoiceInformation> {
    const info = await m.findOne(InvoiceInformation, { where: { id, partnerId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!info) throw new NotFoundError(`Invoice information ${id} does not exist.`);
    return info;
  }

  private change(scope: PartnerScope, id: string, work: (m: EntityManager, current: InvoiceInformation, now: Date) => Promise<InvoiceInformation>): Promise<InvoiceInformation> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => work(m, await this.find(m, scope.partnerId, id, true), this.clock.now()));
  }

  private async audit(m: EntityManager, info: InvoiceInformation, action: InvoiceInformationAction, before: Record<string, unknown> | null, after: Record<string, unknown>, reason: string | null, by: string, at: Date): Promise<void> {
    const row: InvoiceInformationAudit = { id: randomUUID(), partnerId: info.partnerId, invoiceInformationId: info.id, action, before, after, reason, by, at };
    await m.createQueryBuilder().insert().into(InvoiceInformationAudit).values(row as never).execute();
  }
}
