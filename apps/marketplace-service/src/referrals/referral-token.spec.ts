import { createHmac } from 'node:crypto';
import { ReferralKey, signReferralToken, verifyReferralToken } from './referral-token';

const old: ReferralKey = { kid: 'k2026a', secret: 'a'.repeat(40) };
const current: ReferralKey = { kid: 'k2026b', secret: 'b'.repeat(40) };
const issuedAt = new Date('2026-11-01T00:00:00Z');
const claims = { partnerId: 'partner-1', productId: 'prod-1', issuedAt, expiresAt: new Date('2026-12-01T00:00:00Z') };
const at = (iso: string) => ({ productId: 'prod-1', now: new Date(iso) });

describe('referral tokens', () => {
  it('attribute an order of the bound product to the partner while unexpired', () => {
    const token = signReferralToken(current, claims);
    expect(verifyReferralToken(token, [current, old], at('2026-11-15T00:00:00Z'))).toEqual({ ok: true, kid: 'k2026b', claims });
  });

  it('keep verifying after the signing key rotates, as long as the old key is listed; never once it is removed', () => {
    const token = signReferralToken(old, { ...claims, expiresAt: null });
    expect(verifyReferralToken(token, [current, old], at('2030-01-01T00:00:00Z'))).toMatchObject({ ok: true, claims: { partnerId: 'partner-1', expiresAt: null } });
    expect(verifyReferralToken(token, [current], at('2026-11-15T00:00:00Z'))).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it('refuse an expired token (at the expiry instant already)', () => {
    const token = signReferralToken(current, claims);
    expect(verifyReferralToken(token, [current], at('2026-12-01T00:00:00Z'))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse a token of another product', () => {
    const token = signReferralToken(current, claims);
    expect(verifyReferralToken(token, [current], { productId: 'prod-2', now: issuedAt })).toEqual({ ok: false, reason: 'foreign-product' });
  });

  it('refuse an altered token: another partner and no expiry in the payload, a flipped signature', () => {
    const token = signReferralToken(current, claims);
    const [v, kid, , sig] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ p: 'partner-2', pr: 'prod-1', iat: 1_790_000_000 })).toString('base64url');
    expect(verifyReferralToken([v, kid, forgedPayload, sig].join('.'), [current], at('2026-11-15T00:00:00Z'))).toEqual({ ok: false, reason: 'bad-signature' });
    const flipped = sig.slice(0, -2) + (sig.endsWith('AA') ? 'BB' : 'AA');
    expect(verifyReferralToken([v, kid, token.split('.')[2], flipped].join('.'), [current], at('2026-11-15T00:00:00Z'))).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuse a token signed with a key the platform does not hold, under a known key id', () => {
    const forged = signReferralToken({ kid: current.kid, secret: 'x'.repeat(40) }, claims);
    expect(verifyReferralToken(forged, [current], at('2026-11-15T00:00:00Z'))).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuse anything that is not a token', () => {
    for (const junk of ['', 'abc', 'v1.k.a', 'v2.k2026b.e30.AAAA', 'v1.bad kid.e30.AAAA', 'v1.k2026b.e30.AAAA.extra']) {
      expect(verifyReferralToken(junk, [current], at('2026-11-15T00:00:00Z'))).toMatchObject({ ok: false });
    }
    expect(verifyReferralToken('v1.k2026b.e30.AAAA', [current], at('2026-11-15T00:00:00Z'))).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuse a validly signed payload that is not a claim set', () => {
    const payload = Buffer.from('[1,2]').toString('base64url');
    const head = `v1.${current.kid}.${payload}`;
    const sig = createHmac('sha256', current.secret).update(head).digest('base64url');
    expect(verifyReferralToken(`${head}.${sig}`, [current], at('2026-11-15T00:00:00Z'))).toEqual({ ok: false, reason: 'malformed' });
  });
});
