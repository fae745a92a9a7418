import { offlineEnv } from '@settle/service-kit/testing';
import { referralKeysOf } from './config';
import { MarketplaceService } from './marketplace-service';

const load = (extra: NodeJS.ProcessEnv) => MarketplaceService.loadConfig({ ...offlineEnv(), ...extra });
const secret = 's'.repeat(40);

describe('marketplace configuration', () => {
  it('reads the referral keys and signs with the named one, verifying with all', () => {
    const config = load({ MARKETPLACE_REFERRAL_KEYS: JSON.stringify([{ kid: 'old', secret }, { kid: 'new', secret: 'n'.repeat(40) }]), MARKETPLACE_REFERRAL_SIGNING_KID: 'new' });
    const { keys, signing } = referralKeysOf(config);
    expect(keys.map((k) => k.kid)).toEqual(['old', 'new']);
    expect(signing.kid).toBe('new');
  });

  it('derives one key from the internal secret when none is configured, the same on every instance', () => {
    const env = offlineEnv();
    const a = referralKeysOf(MarketplaceService.loadConfig(env));
    const b = referralKeysOf(MarketplaceService.loadConfig(env));
    expect(a.signing).toEqual(b.signing);
    expect(a.signing.kid).toBe('k0');
    expect(a.signing.secret).not.toContain(String(env.INTERNAL_AUTH_SECRET));
  });

  it('refuses to start with malformed keys or a signing key id that is not listed', () => {
    expect(() => load({ MARKETPLACE_REFERRAL_KEYS: 'not json' })).toThrow(/MARKETPLACE_REFERRAL_KEYS/);
    expect(() => load({ MARKETPLACE_REFERRAL_KEYS: JSON.stringify([{ kid: 'a', secret: 'short' }]) })).toThrow(/at least 32/);
    expect(() => load({ MARKETPLACE_REFERRAL_KEYS: JSON.stringify([{ kid: 'a', secret }, { kid: 'a', secret }]) })).toThrow(/unique/);
    expect(() => referralKeysOf(load({ MARKETPLACE_REFERRAL_KEYS: JSON.stringify([{ kid: 'a', secret }]), MARKETPLACE_REFERRAL_SIGNING_KID: 'b' }))).toThrow(/not a key/);
  });
});
