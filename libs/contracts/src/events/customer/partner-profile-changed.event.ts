import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { defineEvent } from '../define-event';
import { IsoDateTimeSchema } from '../common.schemas';
import { PartnerProfileSchema } from './partner-registered.event';

/** An operator changed a partner's level, taxpayer type or certification status; the data is the whole new profile. */
export const PartnerProfileChangedV1 = defineEvent({
  name: 'settle.customer.partner.profile-changed',
  version: 1,
  topic: Topics.CustomerEvents,
  producer: 'customer-service',
  description: "A partner's level, taxpayer type or certification status changed; carries the whole profile after the change.",
  schema: PartnerProfileSchema.extend({
    changed_fields: z.array(z.enum(['level', 'taxpayer_type', 'certification_status'])).min(1),
    changed_at: IsoDateTimeSchema,
  }).strict(),
});
