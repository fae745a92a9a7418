/**
 * The texts the platform sends. A notification stores its template id and the parameters that are
 * not secret; secret parameters (a verification code) are sealed until delivery and erased after.
 * The text exists only while it is being handed to the channel, or masked for the operator view.
 */
export type Lang = 'zh-cn' | 'en-us';

export interface NotificationParams {
  lang?: Lang;
  minutes?: number;
}

export type SecretParams = Record<string, string>;

export const MASK = '******';

interface Template {
  /** The secret parameters the template needs (masked when rendered without them). */
  secrets: readonly string[];
  render(params: NotificationParams, secrets: SecretParams): string;
}

const TEMPLATES: Record<string, Template> = {
  'verification-code': {
    secrets: ['code'],
    render: (p, s) =>
      p.lang === 'en-us'
        ? `Your verification code is ${s.code}. It is valid for ${p.minutes ?? 10} minutes.`
        : `您的验证码为${s.code}，${p.minutes ?? 10}分钟内有效。`,
  },
};

/** A template id is `<template>` or `<template>.<variant>` (the verification scene: `verification-code.29`). */
function templateOf(id: string): Template | undefined {
  return TEMPLATES[id.split('.')[0]];
}

export function isKnownTemplate(id: string): boolean {
  return templateOf(id) !== undefined;
}

/** The text to send; every secret the template needs must be given. */
export function renderNotification(id: string, params: NotificationParams, secrets: SecretParams): string {
  const template = templateOf(id);
  if (!template) throw new Error(`unknown notification template ${id}`);
  const missing = template.secrets.filter((name) => typeof secrets[name] !== 'string');
  if (missing.length) throw new Error(`notification template ${id} needs ${missing.join(', ')}`);
  return template.render(params, secrets);
}

/** The text with every secret parameter masked: what an operator may read. */
export function maskedNotification(id: string, params: NotificationParams): string {
  const template = templateOf(id);
  if (!template) return MASK;
  return template.render(params, Object.fromEntries(template.secrets.map((name) => [name, MASK])));
}
