import { layout, type RenderedMail } from './layout.js';

/** Every word of the password reset email, in one place (to be translated). */
export const PASSWORD_RESET_MESSAGES = {
  subject: 'Reset your TicketClub password',
  greeting: (name: string) => `Hi ${name},`,
  body: (minutes: number) => `someone (we hope you) asked to reset the password of your TicketClub account. The link below works once, for ${minutes} minutes.`,
  ignore: 'If it was not you, ignore this email: your password stays as it is.',
  action: 'Choose a new password',
};

export function passwordResetMail(name: string, resetUrl: string, validMinutes: number, m = PASSWORD_RESET_MESSAGES): RenderedMail {
  return layout(m.subject, [m.greeting(name), m.body(validMinutes), m.ignore], { label: m.action, url: resetUrl });
}
