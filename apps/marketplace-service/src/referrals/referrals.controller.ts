import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequirePermission, scopeOf } from '@settle/auth';
import { IdSchema } from '@settle/contracts';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { ReferralsService } from './referrals.service';

const ProductParams = z.object({ product_id: IdSchema }).strict();
const CopyBody = z.object({ valid_days: z.number().int().min(1).max(3650).optional() }).strict();
const ListQuery = z.object({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(10) }).strict();

/**
 * Partner API: copy a product link (复制商品链接). An order placed through it is attributed to the
 * partner automatically; the customer never types a partner id.
 */
@Controller('v2/marketplace')
@RequirePermission('marketplace')
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Post('products/:product_id/referral-links')
  async copy(@Param() params: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { product_id } = parseInput(ProductParams, params);
    const { valid_days } = parseInput(CopyBody, body ?? {});
    const { link, token, url } = await this.referrals.copyLink(scopeOf(principal), product_id, valid_days);
    return { link_id: link.id, product_id, link: url, referral_token: token, key_id: link.kid, expire_time: link.expiresAt?.toISOString() ?? null, created_time: link.createdAt.toISOString() };
  }

  @Get('referral-links')
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseInput(ListQuery, query);
    const [rows, total] = await this.referrals.list(scopeOf(principal), q);
    return {
      total_count: total,
      referral_links: rows.map((l) => ({ link_id: l.id, product_id: l.productId, key_id: l.kid, expire_time: l.expiresAt?.toISOString() ?? null, created_time: l.createdAt.toISOString() })),
    };
  }
}
