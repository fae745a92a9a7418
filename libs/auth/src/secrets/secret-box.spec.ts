import { createCipheriv, randomBytes } from 'node:crypto';
import { LEGACY_KEY_ID, SecretBox, parseKeyring } from './secret-box';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');

/** The first release's format: base64(iv | tag | ciphertext), no key id. */
function legacySeal(base64Key: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(base64Key, 'base64'), iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
}

describe('sealing keys from configuration', () => {
  it('takes the legacy key alone as the active key, id legacy', () => {
    const { keyring, problems } = parseKeyring({ legacyKey: keyA });
    expect(problems).toEqual([]);
    expect(keyring?.activeId).toBe(LEGACY_KEY_ID);
  });

  it('needs an active id among several keys, and one that is configured', () => {
    expect(parseKeyring({ keys: `a:${keyA},b:${keyB}` }).problems).toEqual([{ variable: 'CREDENTIALS_ENCRYPTION_ACTIVE_KEY', message: expect.stringMatching(/one of: a, b/) }]);
    expect(parseKeyring({ keys: `a:${keyA}`, activeId: 'c' }).problems).toEqual([{ variable: 'CREDENTIALS_ENCRYPTION_ACTIVE_KEY', message: "names 'c', which is not a configured key (configured: a)" }]);
    expect(parseKeyring({ keys: `a:${keyA}`, activeId: 'legacy', legacyKey: keyB }).keyring?.activeId).toBe('legacy');
  });

  it('names each malformed entry without echoing a key', () => {
    const problems = parseKeyring({ keys: `${keyA},A B:${keyB},a:short,a:${keyA},b:${keyA}`, legacyKey: 'nope' }).problems;
    const text = JSON.stringify(problems);
    expect(problems.map((p) => p.variable)).toEqual(['CREDENTIALS_ENCRYPTION_KEY', 'CREDENTIALS_ENCRYPTION_KEYS', 'CREDENTIALS_ENCRYPTION_KEYS', 'CREDENTIALS_ENCRYPTION_KEYS', 'CREDENTIALS_ENCRYPTION_KEYS']);
    expect(text).toMatch(/key 'a' must be 32 bytes/);
    expect(text).toMatch(/key 'b' is the same key as 'a'/);
    expect(text).not.toContain(keyA);
    expect(text).not.toContain(keyB);
  });

  it('refuses a configuration without any key and a second legacy id', () => {
    expect(parseKeyring({}).problems[0].message).toMatch(/no sealing key/);
    expect(parseKeyring({ keys: `legacy:${keyB}`, legacyKey: keyA }).problems[0].message).toMatch(/'legacy' is the id of CREDENTIALS_ENCRYPTION_KEY/);
  });
});

describe('SecretBox', () => {
  it('seals under the active key id and opens with the key the value names', () => {
    const a = SecretBox.fromSettings({ keys: `a:${keyA}` });
    const sealed = a.seal('sk-123');
    expect(sealed).toMatch(/^v2:a:[\w-]+:[\w-]+:[\w-]+$/);
    const ab = SecretBox.fromSettings({ keys: `a:${keyA},b:${keyB}`, activeId: 'b' });
    expect(ab.open(sealed)).toBe('sk-123');
    expect(ab.needsReseal(sealed)).toBe(true);
    const resealed = ab.seal(ab.open(sealed));
    expect(ab.keyIdOf(resealed)).toBe('b');
    expect(ab.needsReseal(resealed)).toBe(false);
    expect(SecretBox.fromSettings({ keys: `b:${keyB}` }).open(resealed)).toBe('sk-123');
  });

  it('opens the unversioned format with the legacy key only', () => {
    const old = legacySeal(keyA, 'sk-old');
    expect(SecretBox.fromSettings({ legacyKey: keyA, keys: `b:${keyB}`, activeId: 'b' }).open(old)).toBe('sk-old');
    expect(() => SecretBox.fromSettings({ keys: `b:${keyB}` }).open(old)).toThrow(/CREDENTIALS_ENCRYPTION_KEY/);
  });

  it('refuses a value whose key left the ring, or relabelled with another key id', () => {
    const sealed = SecretBox.fromSettings({ keys: `a:${keyA}` }).seal('sk');
    expect(() => SecretBox.fromSettings({ keys: `b:${keyB}` }).open(sealed)).toThrow(/key 'a', which is not configured/);
    const relabelled = sealed.replace(/^v2:a:/, 'v2:b:');
    expect(() => SecretBox.fromSettings({ keys: `a:${keyA},b:${keyB}`, activeId: 'a' }).open(relabelled)).toThrow(/does not open/);
  });

  it('derives hashing keys with the active one first and the legacy derivation unchanged', () => {
    const box = SecretBox.fromSettings({ legacyKey: keyA, keys: `b:${keyB}`, activeId: 'b' });
    const [first, second] = box.derivedKeys('purpose');
    expect(first.equals(SecretBox.fromSettings({ keys: `b:${keyB}` }).derivedKeys('purpose')[0])).toBe(true);
    expect(second.equals(SecretBox.fromSettings({ legacyKey: keyA }).derivedKeys('purpose')[0])).toBe(true);
  });
});
