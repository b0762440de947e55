import type { Locale } from '../../../../shared/api.js';
import { layout, type RenderedMail } from './layout.js';

const en = {
  subject: 'Reset your TicketClub password',
  greeting: (name: string) => `Hi ${name},`,
  body: (minutes: number) => `someone (we hope you) asked to reset the password of your TicketClub account. The link below works once, for ${minutes} minutes.`,
  ignore: 'If it was not you, ignore this email: your password stays as it is.',
  action: 'Choose a new password',
};

/** Every word of the password reset email, in each language. */
export const PASSWORD_RESET_MESSAGES: Record<Locale, typeof en> = {
  en,
  'zh-TW': {
    subject: '重設您的 TicketClub 密碼',
    greeting: (name) => `${name} 您好：`,
    body: (minutes) => `有人（希望是您本人）要求重設您 TicketClub 帳號的密碼。下方連結只能使用一次，${minutes} 分鐘內有效。`,
    ignore: '如果這不是您，請忽略這封信：您的密碼不會改變。',
    action: '設定新密碼',
  },
};

export function passwordResetMail(name: string, resetUrl: string, validMinutes: number, locale: Locale = 'en'): RenderedMail {
  const m = PASSWORD_RESET_MESSAGES[locale];
  return layout(m.subject, [m.greeting(name), m.body(validMinutes), m.ignore], { label: m.action, url: resetUrl });
}
