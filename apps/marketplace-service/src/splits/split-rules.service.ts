import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BadParameterError, ConflictError, NotFoundError } from '@settle/contracts';
import { inSystemScope } from '@settle/persistence';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { SplitRuleRow, toSplitRule } from './split-rule.entity';
import { SplitRule, SplitRuleError, conflictingRule, validateSplitRule } from './split-rules';

/** Split rules: created by operators, never edited (a new period is a new rule); the one reader of the table. */
@Injectable()
export class SplitRulesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Creates a rule; 400 for impossible numbers, 409 when it overlaps a rule of the same scope and kind. */
  async create(input: Omit<SplitRuleRow, 'id' | 'createdAt'>): Promise<SplitRuleRow> {
    const row: SplitRuleRow = { ...input, id: randomUUID(), createdAt: this.clock.now() };
    try {
      validateSplitRule(toSplitRule(row));
    } catch (error) {
      if (error instanceof SplitRuleError) throw new BadParameterError(error.message);
      throw error;
    }
    return inSystemScope(this.dataSource, async (m) => {
      // One rule creation at a time: the overlap check and the insert must see the same rules.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('marketplace:split-rules'))`);
      const existing = (await m.find(SplitRuleRow)).map(toSplitRule);
      const conflict = conflictingRule(existing, toSplitRule(row));
      if (conflict) throw new ConflictError(`The rule overlaps rule ${conflict.id} of the same scope from ${conflict.effectiveFrom.toISOString()}; end that one first or start after it.`);
      await m.insert(SplitRuleRow, row);
      return row;
    });
  }

  /** Operator: a rule ends (its effective_to is set), so that a successor can start. */
  async end(ruleId: string, at: Date): Promise<SplitRuleRow> {
    return inSystemScope(this.dataSource, async (m) => {
      const rule = await m.findOne(SplitRuleRow, { where: { id: ruleId }, lock: { mode: 'pessimistic_write' } });
      if (!rule) throw new NotFoundError(`Split rule ${ruleId} does not exist.`);
      if (at.getTime() <= rule.effectiveFrom.getTime()) throw new BadParameterError('effective_to must be after the rule starts.');
      if (rule.effectiveTo && rule.effectiveTo.getTime() <= at.getTime()) throw new ConflictError(`Split rule ${ruleId} already ends at ${rule.effectiveTo.toISOString()}.`);
      await m.update(SplitRuleRow, { id: ruleId }, { effectiveTo: at });
      return { ...rule, effectiveTo: at };
    });
  }

  list(): Promise<SplitRuleRow[]> {
    return inSystemScope(this.dataSource, (m) => m.find(SplitRuleRow, { order: { createdAt: 'ASC' } }));
  }

  /** Every rule, as pure values, in the caller's transaction (a batch of orders selects from them). */
  async all(m: EntityManager): Promise<SplitRule[]> {
    return (await m.find(SplitRuleRow)).map(toSplitRule);
  }
}
