import { maskEmail, maskMobile, maskName } from './masking';

describe('masking personal data', () => {
  it('keeps the prefix and last four digits of a mobile number', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
    expect(maskMobile('+8613812345678')).toBe('+86****5678');
    expect(maskMobile('12345')).toBe('***45');
    expect(maskMobile(null)).toBeNull();
  });

  it('keeps the first letter and the domain of an email', () => {
    expect(maskEmail('alice@example.com')).toBe('a***@example.com');
    expect(maskEmail('not-an-email')).toBe('***');
  });

  it('keeps the first character of a name, counting characters not bytes', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('Alice Smith')).toBe('A**********');
    expect(maskName('')).toBe('');
  });
});
