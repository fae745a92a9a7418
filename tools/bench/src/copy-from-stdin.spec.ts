import { copyLine, copyText } from './copy-from-stdin';

describe('COPY text format', () => {
  it('writes null as \\N and escapes what would break a row or a column', () => {
    expect(copyText(null)).toBe('\\N');
    expect(copyText(42)).toBe('42');
    expect(copyText('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re');
  });

  it('joins a row with tabs and ends it with a line break', () => {
    expect(copyLine(['rec-1', 2, null])).toBe('rec-1\t2\t\\N\n');
  });
});
