import { Controller, Get, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequirePermission, scopeOf } from '@settle/auth';
import { ApiTimestamp, ApiTotalCount, ApiUuid, IdSchema } from '@settle/contracts';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { ReferralsService } from './referrals.service';

const ProductParams = z.object({ product_id: IdSchema }).strict();
/** The options are optional and so is the body: none is read as `{}`. */
const CopyBody = z.preprocess((body) => body ?? {}, z.object({ valid_days: z.number().int().min(1).max(3650).optional() }).strict());
const ListQuery = z.object({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(10) }).strict();

const ReferralLinkFields = {
  link_id: ApiUuid,
  product_id: z.string(),
  key_id: z.string().describe('The id of the key that signed the referral token.'),
  expire_time: ApiTimestamp.nullable().describe('Until when orders through the link are attributed; null: no end.'),
  created_time: ApiTimestamp,
};
const CopyResponse = z.object({
  ...ReferralLinkFields,
  link: z.string().describe('The product\'s store link carrying the referral token (`?ref=`), to hand to customers.'),
  referral_token: z.string().describe('The signed token that attributes an order placed through the link to the partner.'),
});
const ListResponse = z.object({ total_count: ApiTotalCount, referral_links: z.array(z.object(ReferralLinkFields)) });

/**
 * Partner API: copy a product link (复制商品链接). An order placed through it is attributed to the
 * partner automatically; the customer never types a partner id.
 */
@Controller('v2/marketplace')
@RequirePermission('marketplace')
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Post('products/:product_id/referral-links')
  @ApiRoute({ summary: 'Copies a product link with the partner\'s referral token (program partners only)', response: CopyResponse })
  async copy(@ValidParams(ProductParams) { product_id }: z.infer<typeof ProductParams>, @ValidBody(CopyBody) { valid_days }: z.infer<typeof CopyBody>, @CurrentPrincipal() principal: Principal) {
    const { link, token, url } = await this.referrals.copyLink(scopeOf(principal), product_id, valid_days);
    return { link_id: link.id, product_id, link: url, referral_token: token, key_id: link.kid, expire_time: link.expiresAt?.toISOString() ?? null, created_time: link.createdAt.toISOString() };
  }

  @Get('referral-links')
  @ApiRoute({ summary: 'The product links the partner copied, newest first', response: ListResponse })
  async list(@ValidQuery(ListQuery) page: z.infer<typeof ListQuery>, @CurrentPrincipal() principal: Principal) {
    const [rows, total] = await this.referrals.list(scopeOf(principal), page);
    return {
      total_count: total,
      referral_links: rows.map((l) => ({ link_id: l.id, product_id: l.productId, key_id: l.kid, expire_time: l.expiresAt?.toISOString() ?? null, created_time: l.createdAt.toISOString() })),
    };
  }
}
