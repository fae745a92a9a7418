import { MASK, isKnownTemplate, maskedNotification, renderNotification } from './notification-templates';

describe('notification templates', () => {
  it('renders a verification code in the chosen language with its validity', () => {
    expect(renderNotification('verification-code.29', { lang: 'en-us', minutes: 5 }, { code: '042137' })).toBe('Your verification code is 042137. It is valid for 5 minutes.');
    expect(renderNotification('verification-code.18', { lang: 'zh-cn', minutes: 10 }, { code: '042137' })).toBe('您的验证码为042137，10分钟内有效。');
  });

  it('masks the code for the operator view and never renders without it', () => {
    expect(maskedNotification('verification-code.29', { lang: 'en-us', minutes: 5 })).toBe(`Your verification code is ${MASK}. It is valid for 5 minutes.`);
    expect(() => renderNotification('verification-code.29', { lang: 'en-us', minutes: 5 }, {})).toThrow(/needs code/);
  });

  it('knows only its templates; an unknown one is masked whole', () => {
    expect(isKnownTemplate('verification-code.29')).toBe(true);
    expect(isKnownTemplate('welcome')).toBe(false);
    expect(maskedNotification('welcome', {})).toBe(MASK);
  });
});
