import { roleOf } from './credentials.client';

describe("the role a partner key acts with", () => {
  it("takes the member's role from customer-service", () => {
    expect(roleOf({ member_id: 'm1', role: 'salesperson' })).toBe('salesperson');
    expect(roleOf({ member_id: null, role: 'admin' })).toBe('admin');
  });

  it('reads a key without member and role (customer-service before members) as the admin', () => {
    expect(roleOf({})).toBe('admin');
  });

  it('never guesses a role: an unknown role or a member key without one is refused', () => {
    expect(() => roleOf({ member_id: 'm1' })).toThrow(/not a member role/);
    expect(() => roleOf({ member_id: 'm1', role: 'operator' })).toThrow(/not a member role/);
    expect(() => roleOf({ role: 'root' })).toThrow(/not a member role/);
  });
});
