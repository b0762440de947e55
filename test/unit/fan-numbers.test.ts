import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { waitRange } from '../../src/web/i18n/durations.js';
import en from '../../src/web/i18n/en.json' with { type: 'json' };
import zhTW from '../../src/web/i18n/zh-TW.json' with { type: 'json' };
import { nextMoment } from '../../src/web/lib/sale-moments.js';

async function tIn(lng: 'en' | 'zh-TW'): Promise<TFunction> {
  const i18n = i18next.createInstance();
  await i18n.init({ lng, resources: { en: { translation: en }, 'zh-TW': { translation: zhTW } }, interpolation: { escapeValue: false } });
  return i18n.t;
}

describe('the wait as the waiting page words it', () => {
  let t: TFunction;
  let zh: TFunction;
  beforeAll(async () => {
    t = await tIn('en');
    zh = await tIn('zh-TW');
  });
  const formatWaitRange = (likely: number | undefined, worst: number) => waitRange(t, likely, worst);

  it('when the likely wait and the worst case differ, then it is a range, not one figure', () => {
    expect(formatWaitRange(120, 600)).toBe('about 2–10 minutes');
    expect(formatWaitRange(20, 600)).toBe('under a minute to 10 minutes');
    expect(formatWaitRange(600, 7200)).toBe('about 10 minutes to 2 hours');
  });
  it('when they agree (or only the worst case is known), then one rounded figure', () => {
    expect(formatWaitRange(590, 600)).toBe('about 10 minutes');
    expect(formatWaitRange(undefined, 185)).toBe('about 3 minutes');
    expect(formatWaitRange(10, 45)).toBe('under a minute');
  });
  it('when the likely estimate is above the worst case, then the worst case caps it', () => {
    expect(formatWaitRange(900, 300)).toBe('about 5 minutes');
  });
  it('when the reader is zh-TW, then the same waits are in Chinese', () => {
    expect(waitRange(zh, 120, 600)).toBe('約 2–10 分鐘');
    expect(waitRange(zh, 20, 600)).toBe('不到一分鐘至 10 分鐘');
    expect(waitRange(zh, 600, 7200)).toBe('約 10 分鐘至 2 小時');
    expect(waitRange(zh, 10, 45)).toBe('不到一分鐘');
  });
});

describe("a show's next moment", () => {
  const show = { queueOpensAt: '2030-03-01T03:30:00.000Z', onSaleAt: '2030-03-01T04:00:00.000Z', startsAt: '2030-03-14T11:30:00.000Z' };
  it('goes scheduled -> the pre-queue -> the sale -> the end', () => {
    expect(nextMoment({ ...show, status: 'scheduled' })).toEqual({ at: show.queueOpensAt, becomes: 'queue_open' });
    expect(nextMoment({ ...show, status: 'queue_open' })).toEqual({ at: show.onSaleAt, becomes: 'on_sale' });
    expect(nextMoment({ ...show, status: 'on_sale' })).toEqual({ at: show.startsAt, becomes: 'ended' });
    expect(nextMoment({ ...show, status: 'ended' })).toBeUndefined();
  });
  it('without a pre-queue, goes from scheduled straight to the sale', () => {
    expect(nextMoment({ ...show, queueOpensAt: show.onSaleAt, status: 'scheduled' })).toEqual({ at: show.onSaleAt, becomes: 'on_sale' });
  });
});
