import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SERVICE_CONFIG } from '@settle/platform';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CustomerServiceConfig } from '../config';
import { AccessKey } from './access-key.entity';
import { Partner, PartnerKind } from './partner.entity';
import { SecretBox } from './secret-box';

export interface IssuedCredentials {
  partner_id: string;
  access_key: string;
  /** Returned once, at issue; only its ciphertext is stored. */
  secret_key: string;
}

const AK_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Access keys look like the provider's: 20 upper-case letters and digits. */
function newAccessKey(): string {
  const bytes = randomBytes(20);
  return Array.from(bytes, (b) => AK_ALPHABET[b % AK_ALPHABET.length]).join('');
}

@Injectable()
export class PartnersService {
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) config: CustomerServiceConfig,
  ) {
    this.box = new SecretBox(config.CREDENTIALS_ENCRYPTION_KEY);
  }

  /** Creates a partner and issues its first AK/SK pair, atomically. */
  async createPartner(input: { name: string; kind: PartnerKind }): Promise<IssuedCredentials> {
    const partnerId = randomUUID().replace(/-/g, '');
    const accessKey = newAccessKey();
    const secretKey = randomBytes(30).toString('base64url');
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(Partner, { id: partnerId, name: input.name, kind: input.kind });
      await manager.insert(AccessKey, { accessKey, partnerId, secretCiphertext: this.box.seal(secretKey), status: 'active' });
    });
    return { partner_id: partnerId, access_key: accessKey, secret_key: secretKey };
  }

  /** What the gateway needs to verify a signature; undefined for unknown or revoked keys. */
  async activeCredentials(accessKey: string): Promise<{ partnerId: string; secretKey: string } | undefined> {
    const key = await this.dataSource.getRepository(AccessKey).findOneBy({ accessKey, status: 'active' });
    return key ? { partnerId: key.partnerId, secretKey: this.box.open(key.secretCiphertext) } : undefined;
  }

  async exists(partnerId: string): Promise<boolean> {
    return this.dataSource.getRepository(Partner).existsBy({ id: partnerId });
  }
}
