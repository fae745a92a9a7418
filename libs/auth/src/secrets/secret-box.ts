import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** The id the single key of `CREDENTIALS_ENCRYPTION_KEY` carries in the ring. */
export const LEGACY_KEY_ID = 'legacy';
const KEY_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const V2 = 'v2';

export interface KeyringSettings {
  /** `CREDENTIALS_ENCRYPTION_KEYS`: `<id>:<base64 32 bytes>` entries separated by commas. */
  keys?: string;
  /** `CREDENTIALS_ENCRYPTION_ACTIVE_KEY`: the id new secrets are sealed under. */
  activeId?: string;
  /** `CREDENTIALS_ENCRYPTION_KEY`: the key before key ids; opens the unversioned format. */
  legacyKey?: string;
}

export interface Keyring {
  keys: ReadonlyMap<string, Buffer>;
  activeId: string;
}

export interface KeyringProblem {
  variable: 'CREDENTIALS_ENCRYPTION_KEYS' | 'CREDENTIALS_ENCRYPTION_ACTIVE_KEY' | 'CREDENTIALS_ENCRYPTION_KEY';
  message: string;
}

const isKey = (raw: Buffer) => raw.length === 32;

/**
 * Reads the sealing keys from configuration. Every problem is named with its variable (never with a
 * key's value) so the service refuses to start with a message an operator can act on.
 */
export function parseKeyring(settings: KeyringSettings): { keyring?: Keyring; problems: KeyringProblem[] } {
  const problems: KeyringProblem[] = [];
  const keys = new Map<string, Buffer>();
  if (settings.legacyKey !== undefined && settings.legacyKey !== '') {
    const raw = Buffer.from(settings.legacyKey, 'base64');
    if (isKey(raw)) keys.set(LEGACY_KEY_ID, raw);
    else problems.push({ variable: 'CREDENTIALS_ENCRYPTION_KEY', message: 'must be 32 bytes encoded in base64 (e.g. `openssl rand -base64 32`)' });
  }
  const entries = (settings.keys ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const where = `entry ${index + 1}`;
    if (!KEY_ID.test(id)) {
      problems.push({ variable: 'CREDENTIALS_ENCRYPTION_KEYS', message: `${where} must be <id>:<base64 key> with an id of lower-case letters, digits, - or _ (at most 32)` });
      return;
    }
    if (keys.has(id)) {
      const why = id === LEGACY_KEY_ID ? `'${LEGACY_KEY_ID}' is the id of CREDENTIALS_ENCRYPTION_KEY` : `key id '${id}' appears twice`;
      problems.push({ variable: 'CREDENTIALS_ENCRYPTION_KEYS', message: `${where}: ${why}` });
      return;
    }
    const raw = Buffer.from(entry.slice(colon + 1), 'base64');
    if (!isKey(raw)) {
      problems.push({ variable: 'CREDENTIALS_ENCRYPTION_KEYS', message: `key '${id}' must be 32 bytes encoded in base64 (e.g. \`openssl rand -base64 32\`)` });
      return;
    }
    // Two ids for one key would make "re-sealed under the new key" a lie.
    const twin = [...keys].find(([, other]) => other.equals(raw));
    if (twin) {
      problems.push({ variable: 'CREDENTIALS_ENCRYPTION_KEYS', message: `key '${id}' is the same key as '${twin[0]}'` });
      return;
    }
    keys.set(id, raw);
  });
  if (problems.length) return { problems };
  if (keys.size === 0) {
    problems.push({ variable: 'CREDENTIALS_ENCRYPTION_KEYS', message: 'no sealing key: set CREDENTIALS_ENCRYPTION_KEYS (<id>:<base64 key>,…) with CREDENTIALS_ENCRYPTION_ACTIVE_KEY, or CREDENTIALS_ENCRYPTION_KEY' });
    return { problems };
  }
  const ids = [...keys.keys()];
  let activeId = settings.activeId?.trim() || undefined;
  if (activeId === undefined) {
    if (keys.size > 1) {
      problems.push({ variable: 'CREDENTIALS_ENCRYPTION_ACTIVE_KEY', message: `must name the key new secrets are sealed under, one of: ${ids.join(', ')}` });
      return { problems };
    }
    activeId = ids[0];
  }
  if (!keys.has(activeId)) {
    problems.push({ variable: 'CREDENTIALS_ENCRYPTION_ACTIVE_KEY', message: `names '${activeId.slice(0, 32)}', which is not a configured key (configured: ${ids.join(', ')})` });
    return { problems };
  }
  return { keyring: { keys, activeId }, problems };
}

export class UnreadableSecretError extends Error {}

/**
 * Encrypts secrets at rest with AES-256-GCM under a ring of keys. A sealed value names the key
 * that sealed it (`v2:<key id>:<iv>:<tag>:<ciphertext>`, base64url parts), so a new key can become
 * active while the old one still opens what it sealed; `npx settle secrets reseal` then moves every
 * secret to the active key and the old key can leave the ring. The unversioned format of the first
 * release (base64 of iv | tag | ciphertext) is opened with the legacy key.
 */
export class SecretBox {
  constructor(private readonly ring: Keyring) {}

  static fromSettings(settings: KeyringSettings): SecretBox {
    const { keyring, problems } = parseKeyring(settings);
    if (!keyring) throw new Error(`invalid sealing keys: ${problems.map((p) => `${p.variable}: ${p.message}`).join('; ')}`);
    return new SecretBox(keyring);
  }

  get activeKeyId(): string {
    return this.ring.activeId;
  }

  get keyIds(): string[] {
    return [...this.ring.keys.keys()];
  }

  seal(plaintext: string): string {
    const key = this.ring.keys.get(this.ring.activeId) as Buffer;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // The key id is authenticated too: a value relabelled with another id does not open.
    cipher.setAAD(Buffer.from(`${V2}:${this.ring.activeId}`));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [V2, this.ring.activeId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join(':');
  }

  open(sealed: string): string {
    const parts = sealed.split(':');
    if (parts.length === 1) return this.openLegacy(sealed);
    if (parts.length !== 5 || parts[0] !== V2) throw new UnreadableSecretError('not a sealed secret');
    const [, kid, iv, tag, ciphertext] = parts;
    const key = this.ring.keys.get(kid);
    if (!key) throw new UnreadableSecretError(`sealed under key '${kid}', which is not configured`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(`${V2}:${kid}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new UnreadableSecretError(`does not open with key '${kid}'`);
    }
  }

  /** The id of the key that sealed a value (`legacy` for the unversioned format). */
  keyIdOf(sealed: string): string {
    const parts = sealed.split(':');
    return parts.length === 1 ? LEGACY_KEY_ID : parts[1];
  }

  /** True when the value is not sealed under the active key in the current format. */
  needsReseal(sealed: string): boolean {
    return !sealed.startsWith(`${V2}:${this.ring.activeId}:`);
  }

  /**
   * Keyed-hash keys derived from every key in the ring for one purpose, the active one first:
   * hash with the first, accept a match with any, so rotating keys does not void what was hashed
   * under the previous key.
   */
  derivedKeys(purpose: string): Buffer[] {
    const ordered = [this.ring.activeId, ...this.keyIds.filter((id) => id !== this.ring.activeId)];
    return ordered.map((id) => createHmac('sha256', this.ring.keys.get(id) as Buffer).update(purpose).digest());
  }

  private openLegacy(sealed: string): string {
    const key = this.ring.keys.get(LEGACY_KEY_ID);
    if (!key) throw new UnreadableSecretError(`sealed in the unversioned format, which only CREDENTIALS_ENCRYPTION_KEY opens, and it is not configured`);
    try {
      const raw = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new UnreadableSecretError(`does not open with key '${LEGACY_KEY_ID}'`);
    }
  }
}
