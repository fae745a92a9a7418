import { defineBackendService } from '@settle/service-kit';
import { AssociationsModule } from './associations/associations.module';
import { AuthorizationsModule } from './authorizations/authorizations.module';
import { CustomerAuthorization, PartnerAgreementAcceptance } from './authorizations/customer-authorization.entity';
import { CustomerAssociation } from './associations/customer-association.entity';
import { CustomerServiceConfigSchema } from './config';
import { AuditRecord, Customer, CustomerContact, CustomerLabel, CustomerVoucher } from './customers/customer.entity';
import { CustomersModule } from './customers/customers.module';
import { Invitation } from './invitations/invitation.entity';
import { InvitationsModule } from './invitations/invitations.module';
import { Notification } from './verification/notification.entity';
import { VerificationCode } from './verification/verification-code.entity';
import { VerificationAndNotifications1763769600500 } from './migrations/1763769600500-verification-and-notifications';
import { CustomersAndInvitations1763769600300 } from './migrations/1763769600300-customers-and-invitations';
import { PartnersAndAssociations1763769600100 } from './migrations/1763769600100-partners-and-associations';
import { CustomerAuthorizations1763769600600 } from './migrations/1763769600600-customer-authorizations';
import { NotificationTemplates1763769600800 } from './migrations/1763769600800-notification-templates';
import { AccessKey } from './partners/access-key.entity';
import { Partner } from './partners/partner.entity';
import { PartnersModule } from './partners/partners.module';
import { SecretsModule } from './secrets/secrets.module';
import { PartnerMember } from './partners/partner-member.entity';
import { PartnerProfilesMembersKeys1763769600400 } from './migrations/1763769600400-partner-profiles-members-keys';
import { InvitationAccountManager1763769600700 } from './migrations/1763769600700-invitation-account-manager';
import { PartnerRowSecurity1763769609100 } from './migrations/1763769609100-partner-row-security';
import { CustomerRowSecurity1763769609600 } from './migrations/1763769609600-customer-row-security';

/** customer-service: partners and their keys, customer association. */
export const CustomerService = defineBackendService({
  name: 'customer-service',
  defaultSchema: 'customer',
  defaultPort: 8081,
  configSchema: CustomerServiceConfigSchema,
  entities: [Partner, AccessKey, CustomerAssociation, Customer, CustomerVoucher, CustomerLabel, CustomerContact, AuditRecord, Invitation, VerificationCode, Notification, CustomerAuthorization, PartnerAgreementAcceptance, PartnerMember],
  migrations: [PartnersAndAssociations1763769600100, CustomersAndInvitations1763769600300, PartnerProfilesMembersKeys1763769600400, VerificationAndNotifications1763769600500, CustomerAuthorizations1763769600600, InvitationAccountManager1763769600700, NotificationTemplates1763769600800, PartnerRowSecurity1763769609100, CustomerRowSecurity1763769609600],
  features: () => [PartnersModule, AssociationsModule, CustomersModule, InvitationsModule, AuthorizationsModule, SecretsModule],
});
