import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PartnerScope } from '@settle/auth';
import { inPartnerScope } from '@settle/persistence';
import { SERVICE_CONFIG } from '@settle/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { MarketplaceConfig, referralKeysOf } from '../config';
import { PartnersService } from '../partners/partners.service';
import { ProductsService } from '../products/products.service';
import { ReferralLink } from './referral-link.entity';
import { ReferralKey, ReferralVerification, signReferralToken, verifyReferralToken } from './referral-token';

/** Product links with referral tokens: issued to program partners, verified on every order. */
@Injectable()
export class ReferralsService {
  private readonly keys: ReferralKey[];
  private readonly signing: ReferralKey;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly partners: PartnersService,
    private readonly products: ProductsService,
    @Inject(SERVICE_CONFIG) private readonly config: MarketplaceConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    ({ keys: this.keys, signing: this.signing } = referralKeysOf(config));
  }

  /** A program partner copies a product link (403 for other partners, 404 for an unknown product). */
  async copyLink(scope: PartnerScope, productId: string, validDays: number | undefined): Promise<{ link: ReferralLink; token: string; url: string }> {
    await this.partners.requireProgramPartner(scope);
    await this.products.get(productId);
    const now = this.clock.now();
    const expiresAt = validDays ? new Date(now.getTime() + validDays * 24 * 3600 * 1000) : null;
    const token = signReferralToken(this.signing, { partnerId: scope.partnerId, productId, issuedAt: now, expiresAt });
    const link: ReferralLink = { id: randomUUID(), partnerId: scope.partnerId, productId, kid: this.signing.kid, expiresAt, createdAt: now, createdBy: scope.actor };
    await inPartnerScope(this.dataSource, scope.partnerId, (m) => m.insert(ReferralLink, link));
    const url = `${this.config.MARKETPLACE_STORE_URL.replace(/\/$/, '')}/products/${encodeURIComponent(productId)}?ref=${token}`;
    return { link, token, url };
  }

  list(scope: PartnerScope, page: { offset: number; limit: number }): Promise<[ReferralLink[], number]> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) =>
      m.getRepository(ReferralLink).findAndCount({ where: { partnerId: scope.partnerId }, order: { createdAt: 'DESC', id: 'ASC' }, skip: page.offset, take: page.limit }),
    );
  }

  /** Verifies an order's token against the product and the moment it was paid (pure underneath). */
  verify(token: string, productId: string, paidAt: Date): ReferralVerification {
    return verifyReferralToken(token, this.keys, { productId, now: paidAt });
  }
}
