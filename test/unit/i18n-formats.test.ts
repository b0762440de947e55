import i18next from 'i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { LoginRequest, SignupRequest } from '../../src/shared/api.js';
import { authIssueText, validateForm } from '../../src/web/features/auth/form-validation.js';
import { durationWords } from '../../src/web/i18n/durations.js';
import en from '../../src/web/i18n/en.json' with { type: 'json' };
import zhTW from '../../src/web/i18n/zh-TW.json' with { type: 'json' };
import { formatDateTime, formatMoney, formatTime, setFormatLocale } from '../../src/web/lib/format.js';

/** A show at 19:30 in Taipei (11:30 UTC). */
const SHOW = '2030-03-14T11:30:00.000Z';

async function tIn(lng: 'en' | 'zh-TW') {
  const i18n = i18next.createInstance();
  await i18n.init({ lng, resources: { en: { translation: en }, 'zh-TW': { translation: zhTW } }, interpolation: { escapeValue: false } });
  return i18n.t;
}

describe('formats in the reader\'s language', () => {
  afterEach(() => setFormatLocale('en-US'));

  it('when the language is zh-TW, then dates are written the Chinese way and stay on the venue\'s clock, labelled', () => {
    expect(formatDateTime(SHOW, 'Asia/Taipei')).toBe('Thu, Mar 14, 2030, 19:30 GMT+8');
    setFormatLocale('zh-TW');
    expect(formatDateTime(SHOW, 'Asia/Taipei')).toMatch(/^2030年3月14日.*19:30 \[?GMT\+8\]?$/);
    expect(formatTime(SHOW, 'Asia/Taipei')).toMatch(/^19:30 \[?GMT\+8\]?$/);
    // Another venue's clock: the same instant in Tokyo.
    expect(formatTime(SHOW, 'Asia/Tokyo')).toMatch(/^20:30 \[?GMT\+9\]?$/);
  });

  it('when the language changes, then money is formatted again in it (formats are not kept from the other language)', () => {
    expect(formatMoney(3000, 'TWD')).toBe('NT$3,000');
    setFormatLocale('zh-TW');
    expect(formatMoney(3000, 'TWD')).toBe(new Intl.NumberFormat('zh-TW', { style: 'currency', currency: 'TWD', maximumFractionDigits: 0 }).format(3000));
    setFormatLocale('en-US');
    expect(formatMoney(3000, 'TWD')).toBe('NT$3,000');
  });

  it('when a duration is put in words, then each language has its own words and plurals', async () => {
    const en = await tIn('en');
    expect([durationWords(en, 1), durationWords(en, 45), durationWords(en, 600), durationWords(en, 5400), durationWords(en, 3600)]).toEqual([
      '1 second',
      '45 seconds',
      '10 minutes',
      '1 hour 30 minutes',
      '1 hour',
    ]);
    const zh = await tIn('zh-TW');
    expect([durationWords(zh, 600), durationWords(zh, 5400)]).toEqual(['10 分鐘', '1 小時 30 分鐘']);
  });
});

describe('the login and signup forms\' refusals', () => {
  it('when a zh-TW reader leaves fields empty or too short, then each field\'s error is in Chinese', async () => {
    const text = authIssueText(await tIn('zh-TW'));
    expect(validateForm(SignupRequest, { name: '', email: 'nope', password: 'short' }, text)).toEqual({
      name: '請輸入姓名',
      email: '請輸入有效的電子郵件地址',
      password: '請使用至少 8 個字元',
    });
    expect(validateForm(LoginRequest, { email: '', password: '' }, text)).toEqual({ email: '請輸入電子郵件', password: '請輸入密碼' });
  });

  it('when an English reader does the same, then the errors read as the shared schemas word them', async () => {
    const text = authIssueText(await tIn('en'));
    expect(validateForm(SignupRequest, { name: '', email: 'nope', password: 'short' }, text)).toEqual(
      validateForm(SignupRequest, { name: '', email: 'nope', password: 'short' }),
    );
    expect(validateForm(LoginRequest, { email: '', password: '' }, text)).toEqual(validateForm(LoginRequest, { email: '', password: '' }));
  });
});
