import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, callerOf } from '@settle/auth';
import { ApiTotalCount } from '@settle/contracts';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { CreatePolicyInput, OperatorPoliciesQuery, PolicyParams, PolicyTermsInput, RetirePolicyInput } from './policy-input';
import { PolicyViewSchema, policyView } from './policy-views';
import { PoliciesService } from './policies.service';

const CodeTaken = { status: 409, code: 'CBC.0102', when: 'a policy with this code already exists' };
const NotLater = { status: 409, code: 'CBC.0102', when: "effective_from is not later than the current version's" };
const CannotEnd = { status: 409, code: 'CBC.0102', when: "the policy already ends on or before effective_to, or effective_to is not after the current version's effective_from" };

/** Operators create, change (a new version from a later period) and retire incentive policies. */
@Controller('operator/incentives/policies')
@RequireOperator()
export class OperatorPoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Post()
  @HttpCode(201)
  @ApiRoute({ summary: 'Creates an incentive policy (its version 1)', response: PolicyViewSchema, errors: [CodeTaken] })
  async create(@ValidBody(CreatePolicyInput) { code, ...terms }: z.infer<typeof CreatePolicyInput>, @CurrentPrincipal() principal: Principal | undefined) {
    return policyView(await this.policies.create(code, terms, callerOf(principal)));
  }

  @Get()
  @ApiRoute({ summary: 'Lists the incentive policies by code, each with its versions', response: z.object({ total_count: ApiTotalCount, policies: z.array(PolicyViewSchema) }) })
  async list(@ValidQuery(OperatorPoliciesQuery) q: z.infer<typeof OperatorPoliciesQuery>) {
    const [rows, total] = await this.policies.list(q.offset, q.limit);
    return { total_count: total, policies: rows.map(policyView) };
  }

  @Get(':policy_id')
  @ApiRoute({ summary: 'One incentive policy with its versions', response: PolicyViewSchema })
  async get(@ValidParams(PolicyParams) { policy_id }: z.infer<typeof PolicyParams>) {
    return policyView(await this.policies.get(policy_id));
  }

  @Post(':policy_id/versions')
  @HttpCode(201)
  @ApiRoute({ summary: 'Changes a policy: a new version that governs from a later settlement period', response: PolicyViewSchema, errors: [NotLater] })
  async change(@ValidParams(PolicyParams) { policy_id }: z.infer<typeof PolicyParams>, @ValidBody(PolicyTermsInput) terms: z.infer<typeof PolicyTermsInput>, @CurrentPrincipal() principal: Principal | undefined) {
    return policyView(await this.policies.change(policy_id, terms, callerOf(principal)));
  }

  @Post(':policy_id/retire')
  @HttpCode(200)
  @ApiRoute({ summary: 'Retires a policy: a version with the current terms that ends before effective_to', response: PolicyViewSchema, errors: [CannotEnd] })
  async retire(@ValidParams(PolicyParams) { policy_id }: z.infer<typeof PolicyParams>, @ValidBody(RetirePolicyInput) { effective_to }: z.infer<typeof RetirePolicyInput>, @CurrentPrincipal() principal: Principal | undefined) {
    return policyView(await this.policies.retire(policy_id, effective_to, callerOf(principal)));
  }
}
