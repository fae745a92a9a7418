import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, callerOf } from '@settle/auth';
import { parseInput } from '@settle/platform';
import { CreatePolicyInput, OperatorPoliciesQuery, PolicyParams, PolicyTermsInput, RetirePolicyInput } from './policy-input';
import { policyView } from './policy-views';
import { PoliciesService } from './policies.service';

/** Operators create, change (a new version from a later period) and retire incentive policies. */
@Controller('operator/incentives/policies')
@RequireOperator()
export class OperatorPoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Post()
  @HttpCode(201)
  async create(@Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { code, ...terms } = parseInput(CreatePolicyInput, body);
    return policyView(await this.policies.create(code, terms, callerOf(principal)));
  }

  @Get()
  async list(@Query() query: unknown) {
    const q = parseInput(OperatorPoliciesQuery, query);
    const [rows, total] = await this.policies.list(q.offset, q.limit);
    return { total_count: total, policies: rows.map(policyView) };
  }

  @Get(':policy_id')
  async get(@Param() params: unknown) {
    const { policy_id } = parseInput(PolicyParams, params);
    return policyView(await this.policies.get(policy_id));
  }

  @Post(':policy_id/versions')
  @HttpCode(201)
  async change(@Param() params: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { policy_id } = parseInput(PolicyParams, params);
    return policyView(await this.policies.change(policy_id, parseInput(PolicyTermsInput, body), callerOf(principal)));
  }

  @Post(':policy_id/retire')
  @HttpCode(200)
  async retire(@Param() params: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { policy_id } = parseInput(PolicyParams, params);
    const { effective_to } = parseInput(RetirePolicyInput, body);
    return policyView(await this.policies.retire(policy_id, effective_to, callerOf(principal)));
  }
}
