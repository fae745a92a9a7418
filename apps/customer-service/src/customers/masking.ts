/**
 * Personal data is masked in every list and detail response; revealing one field of one customer
 * is an explicit, audited call. Masking keeps just enough to recognise a record.
 */
export type MaskedField = 'mobile' | 'email' | 'name';

/** 13812345678 → 138****5678; short numbers keep only their last two digits. */
export function maskMobile(mobile: string | null): string | null {
  if (mobile === null || mobile === '') return mobile;
  if (mobile.length >= 11) return `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;
  return `${'*'.repeat(Math.max(mobile.length - 2, 1))}${mobile.slice(-2)}`;
}

/** alice@example.com → a***@example.com */
export function maskEmail(email: string | null): string | null {
  if (email === null || email === '') return email;
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** 张三丰 → 张**, Alice Smith → A********** (one mask character per character hidden). */
export function maskName(name: string | null): string | null {
  if (name === null || name === '') return name;
  const chars = Array.from(name);
  return chars[0] + '*'.repeat(chars.length - 1);
}

export function maskField(field: MaskedField, value: string | null): string | null {
  return field === 'mobile' ? maskMobile(value) : field === 'email' ? maskEmail(value) : maskName(value);
}
