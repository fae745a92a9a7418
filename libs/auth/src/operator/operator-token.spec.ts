import { issueOperatorToken, verifyOperatorToken } from './operator-token';

const SECRET = 'operator-secret-of-at-least-32-bytes!!';
const NOW = new Date('2026-11-22T10:00:00Z');

describe('operator tokens', () => {
  it('carry subject and roles until they expire', () => {
    const token = issueOperatorToken({ subject: 'alice', roles: ['admin'], ttlSeconds: 60 }, SECRET, NOW);
    expect(verifyOperatorToken(token, SECRET, new Date(NOW.getTime() + 59_000))).toMatchObject({ sub: 'alice', roles: ['admin'] });
    expect(() => verifyOperatorToken(token, SECRET, new Date(NOW.getTime() + 60_000))).toThrow('The operator token has expired.');
  });

  it('are refused when tampered with or signed with another secret', () => {
    const token = issueOperatorToken({ subject: 'alice', roles: ['viewer'], ttlSeconds: 60 }, SECRET, NOW);
    const [h, , s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'alice', roles: ['admin'], iat: 0, exp: 9e9 })).toString('base64url');
    expect(() => verifyOperatorToken(`${h}.${forged}.${s}`, SECRET, NOW)).toThrow('Invalid operator token signature.');
    expect(() => verifyOperatorToken(token, `${SECRET}-other`, NOW)).toThrow('Invalid operator token signature.');
    expect(() => verifyOperatorToken('a.b', SECRET, NOW)).toThrow('Malformed operator token.');
  });

  it('refuse the none algorithm', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', roles: [], iat: 0, exp: 9e9 })).toString('base64url');
    expect(() => verifyOperatorToken(`${header}.${payload}.`, SECRET, NOW)).toThrow('HS256');
  });

  it('need a secret of at least 32 bytes', () => {
    expect(() => issueOperatorToken({ subject: 'a', roles: [], ttlSeconds: 1 }, 'short')).toThrow(/at least 32 bytes/);
  });
});
