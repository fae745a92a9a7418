import { ApiError } from '@settle/contracts';
import { AuthorizationAction, AuthorizationStatus, AuthorizationStatuses, nextStatus } from './authorization-state';

describe('authorization state machine', () => {
  it('allows pending → approved | rejected and approved → revoked', () => {
    expect(nextStatus('pending', 'approve')).toBe('approved');
    expect(nextStatus('pending', 'reject')).toBe('rejected');
    expect(nextStatus('approved', 'revoke')).toBe('revoked');
  });

  it('refuses every other move with a 409 naming the current status', () => {
    const legal = new Set(['pending:approve', 'pending:reject', 'approved:revoke']);
    const actions: AuthorizationAction[] = ['approve', 'reject', 'revoke'];
    let refused = 0;
    for (const status of AuthorizationStatuses as readonly AuthorizationStatus[]) {
      for (const action of actions) {
        if (legal.has(`${status}:${action}`)) continue;
        let error: unknown;
        try {
          nextStatus(status, action);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).status).toBe(409);
        expect((error as ApiError).errorCode).toBe('CBC.0102');
        expect((error as ApiError).message).toContain(`is ${status}`);
        refused += 1;
      }
    }
    expect(refused).toBe(9);
  });
});
