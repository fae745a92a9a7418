import { Controller, Get, Inject, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CurrentPrincipal, Principal, RequirePermission, scopeOf } from '@settle/auth';
import { billCycleOf } from '@settle/contracts';
import { inPartnerScope } from '@settle/persistence';
import { parseInput } from '@settle/platform';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '../clock';
import { PartnersService } from '../partners/partners.service';
import { IncentiveDiscountPoliciesQuery, PartnerPoliciesQuery } from './policy-input';
import { policyVersionView } from './policy-views';
import { PoliciesService } from './policies.service';
import { PolicyVersion } from './policy-rules';

/**
 * The policies that apply to the calling partner (its kind and level as customer-service
 * published them), and the public API's incentive/discount-policy query in its exact shape.
 */
@Controller()
@RequirePermission('incentives')
export class PartnerPoliciesController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policies: PoliciesService,
    private readonly partners: PartnersService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private async applying(principal: Principal | undefined, period: string): Promise<{ versions: PolicyVersion[]; names: Map<string, Record<string, string>> }> {
    const scope = scopeOf(principal);
    const profile = await inPartnerScope(this.dataSource, scope.partnerId, (m) => this.partners.get(m, scope.partnerId));
    if (!profile) return { versions: [], names: new Map() };
    return this.policies.applyingTo(profile, period);
  }

  @Get('v2/incentives/policies')
  async mine(@Query() query: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const period = parseInput(PartnerPoliciesQuery, query).period ?? billCycleOf(this.clock.now());
    const { versions } = await this.applying(principal, period);
    return { period, total_count: versions.length, policies: versions.map((v) => ({ policy_id: v.policyId, code: v.code, ...policyVersionView(v) })) };
  }

  /**
   * `ListIncentiveDiscountPolicies`: per service type, its incentive policy code and whether partner
   * discounts are allowed, at `time` (its settlement period, UTC+08:00). `allow_discount` is "1"
   * (allowed) or "0", a string as the SDK types it.
   */
  @Get('v2/products/incentive-discount-policies')
  async compatible(@Query() query: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const q = parseInput(IncentiveDiscountPoliciesQuery, query);
    const { versions, names } = await this.applying(principal, billCycleOf(new Date(q.time)));
    const rows = versions
      .flatMap((v) =>
        v.serviceTypeCodes.map((code) => ({
          service_type_code: code,
          service_type_name: names.get(`${v.policyId}:${v.version}`)?.[code] ?? code,
          incentive_policy: v.code,
          allow_discount: v.discountAllowed ? '1' : '0',
        })),
      )
      .filter((r) => q.service_type_code === undefined || r.service_type_code === q.service_type_code)
      .sort((a, b) => a.service_type_code.localeCompare(b.service_type_code) || a.incentive_policy.localeCompare(b.incentive_policy));
    return { total_count: rows.length, policies: rows.slice(q.offset, q.offset + q.limit) };
  }
}
