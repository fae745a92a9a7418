import { Controller, Get, Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CurrentPrincipal, Principal, RequirePermission, scopeOf } from '@settle/auth';
import { ApiTotalCount, ApiUuid, BillCycleSchema, billCycleOf } from '@settle/contracts';
import { inPartnerScope } from '@settle/persistence';
import { ApiRoute, ValidQuery } from '@settle/platform';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { CLOCK, Clock } from '../clock';
import { PartnersService } from '../partners/partners.service';
import { IncentiveDiscountPoliciesQuery, PartnerPoliciesQuery } from './policy-input';
import { policyVersionView, policyVersionViewShape } from './policy-views';
import { PoliciesService } from './policies.service';
import { PolicyVersion } from './policy-rules';

/** The policies governing a period that apply to the caller (each version's terms with its policy's id and code). */
const PartnerPoliciesResponse = z.object({
  period: BillCycleSchema.describe('The settlement period asked for (YYYY-MM), the current one by default.'),
  total_count: ApiTotalCount,
  policies: z.array(z.object({ policy_id: ApiUuid, code: z.string().describe('The incentive policy code.'), ...policyVersionViewShape })),
});

/** The SDK's ListIncentiveDiscountPoliciesResponse (IncentiveAndDiscountPolicy rows), field for field. */
const IncentiveDiscountPoliciesResponse = z.object({
  total_count: ApiTotalCount,
  policies: z.array(
    z.object({
      service_type_code: z.string(),
      service_type_name: z.string().describe('The name the operator gave the service type in the policy, else its code.'),
      incentive_policy: z.string().describe('The code of an incentive policy that applies to the caller on this service type.'),
      allow_discount: z.enum(['1', '0']).describe('"1" when partner discounts are allowed on the service type, "0" otherwise (a string, as the SDK types it).'),
    }),
  ),
});

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
  @ApiRoute({ summary: 'The incentive policies that apply to the caller in a settlement period', response: PartnerPoliciesResponse })
  async mine(@ValidQuery(PartnerPoliciesQuery) q: z.infer<typeof PartnerPoliciesQuery>, @CurrentPrincipal() principal: Principal | undefined) {
    const period = q.period ?? billCycleOf(this.clock.now());
    const { versions } = await this.applying(principal, period);
    return { period, total_count: versions.length, policies: versions.map((v) => ({ policy_id: v.policyId, code: v.code, ...policyVersionView(v) })) };
  }

  /**
   * `ListIncentiveDiscountPolicies`: per service type, its incentive policy code and whether partner
   * discounts are allowed, at `time` (its settlement period, UTC+08:00). `allow_discount` is "1"
   * (allowed) or "0", a string as the SDK types it.
   */
  @Get('v2/products/incentive-discount-policies')
  @ApiRoute({ summary: 'Per service type, the incentive policies that apply to the caller and whether discounts are allowed (ListIncentiveDiscountPolicies)', response: IncentiveDiscountPoliciesResponse })
  async compatible(@ValidQuery(IncentiveDiscountPoliciesQuery) q: z.infer<typeof IncentiveDiscountPoliciesQuery>, @CurrentPrincipal() principal: Principal | undefined) {
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
