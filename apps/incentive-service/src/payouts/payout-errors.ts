import { ApiError } from '@settle/contracts';

/** Why a payout application is refused; each reason has its own code so an integration can act on it. */
export const PayoutRefusals = {
  CertificationRequired: { code: 'CBC.99060001', message: 'Business information certification (商业信息认证) is not complete; a payout can be applied for once it is.' },
  NoticeAlreadyApplied: { code: 'CBC.99060002', message: 'A payout was already applied for this notice; a notice is paid once.' },
  NothingToPay: { code: 'CBC.99060003', message: 'The notice total is not positive; there is nothing to pay out.' },
} as const;

/** 409: the partner's or the notice's state forbids the application. */
export class PayoutRefusedError extends ApiError {
  constructor(reason: keyof typeof PayoutRefusals, details?: Record<string, unknown>) {
    super(409, PayoutRefusals[reason].code, PayoutRefusals[reason].message, details);
  }
}
