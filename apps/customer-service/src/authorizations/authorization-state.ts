import { ConflictError } from '@settle/contracts';

export const AuthorizationStatuses = ['pending', 'approved', 'rejected', 'revoked'] as const;
export type AuthorizationStatus = (typeof AuthorizationStatuses)[number];
export type AuthorizationAction = 'approve' | 'reject' | 'revoke';

/** The only legal moves: pending → approved | rejected; approved → revoked. */
const transitions: Record<AuthorizationAction, { from: AuthorizationStatus; to: AuthorizationStatus }> = {
  approve: { from: 'pending', to: 'approved' },
  reject: { from: 'pending', to: 'rejected' },
  revoke: { from: 'approved', to: 'revoked' },
};

/** The status `action` leads to from `current`, or a 409 naming the current status. */
export function nextStatus(current: AuthorizationStatus, action: AuthorizationAction): AuthorizationStatus {
  const t = transitions[action];
  if (current !== t.from) {
    throw new ConflictError(`The authorization is ${current}; only a ${t.from} authorization can be ${pastTense(action)}.`);
  }
  return t.to;
}

function pastTense(action: AuthorizationAction): string {
  return { approve: 'approved', reject: 'rejected', revoke: 'revoked' }[action];
}
