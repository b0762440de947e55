import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../src/web/i18n/en.json' with { type: 'json' };
import zhTW from '../../src/web/i18n/zh-TW.json' with { type: 'json' };
import { INTL_LOCALE, LANGUAGES, pickLanguage, type Language } from '../../src/web/i18n/languages.js';

const RESOURCES: Record<Language, unknown> = { en, 'zh-TW': zhTW };
const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Every message of a resource as "a.b.c" → text. */
function flatten(tree: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(tree as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

/** The keys a language has, plural forms ("x_one", "x_other") counted as their base key "x". */
const baseKeys = (lang: Language): Set<string> => new Set([...flatten(RESOURCES[lang]).keys()].map((k) => k.replace(PLURAL, '')));

/** Every source file of src/web. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(e.name) ? [path] : [];
  });
}

/** The keys the code asks for: t('a.b'), i18nKey="a.b" (literal keys only: the code writes every key out). */
function usedKeys(source: string): string[] {
  const calls = [...source.matchAll(/\bt(?:r)?\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  const trans = [...source.matchAll(/\bi18nKey=["']([^"']+)["']/g)].map((m) => m[1]!);
  return [...calls, ...trans];
}

describe('the web app\'s messages', () => {
  it.each(LANGUAGES)('when %s is compared with every other language, then it has exactly the same message keys', (lang) => {
    const mine = baseKeys(lang);
    for (const other of LANGUAGES) {
      const theirs = baseKeys(other);
      expect([...theirs].filter((k) => !mine.has(k)), `in ${other}, missing in ${lang}`).toEqual([]);
    }
  });

  it.each(LANGUAGES)('when a %s message has plural forms, then it has every form the language\'s plural rules use', (lang) => {
    const keys = [...flatten(RESOURCES[lang]).keys()];
    const categories = new Intl.PluralRules(INTL_LOCALE[lang]).resolvedOptions().pluralCategories;
    for (const base of new Set(keys.filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')))) {
      for (const c of categories) expect(keys, `${lang}: ${base}_${c}`).toContain(`${base}_${c}`);
    }
  });

  it.each(LANGUAGES)('when a %s message is read, then it is a non-empty string with the same {{placeholders}} as English', (lang) => {
    const english = flatten(en);
    const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
    for (const [key, text] of flatten(RESOURCES[lang])) {
      expect(typeof text === 'string' && text.trim() !== '', `${lang}: ${key}`).toBe(true);
      const base = key.replace(PLURAL, '');
      const model = english.get(key) ?? english.get(`${base}_other`) ?? english.get(base);
      expect(placeholders(text as string), `${lang}: ${key}`).toEqual(placeholders(model as string));
    }
  });

  it('when src/web is scanned for t(\'…\') and i18nKey, then every key it uses exists in every language', () => {
    const files = sourceFiles('src/web');
    const used = new Map<string, string>();
    for (const f of files) for (const key of usedKeys(readFileSync(f, 'utf8'))) used.set(key, f);
    expect(used.size).toBeGreaterThan(50);
    for (const lang of LANGUAGES) {
      const have = baseKeys(lang);
      const missing = [...used].filter(([key]) => !have.has(key)).map(([key, f]) => `${key} (${f})`);
      expect(missing, `used but missing in ${lang}`).toEqual([]);
    }
  });
});

describe('the language a browser gets', () => {
  it('when the browser prefers Traditional Chinese in any spelling, then the pages are in zh-TW', () => {
    for (const code of ['zh-TW', 'zh-Hant', 'zh-Hant-TW', 'zh-HK', 'zh-hk', 'zh-MO']) expect(pickLanguage([code, 'en']), code).toBe('zh-TW');
  });

  it('when the browser prefers English, Simplified Chinese or a language we lack, then English (or the next language it lists that we have)', () => {
    expect(pickLanguage(['en-GB', 'zh-TW'])).toBe('en');
    expect(pickLanguage(['zh-CN'])).toBe('en');
    expect(pickLanguage(['zh'])).toBe('en');
    expect(pickLanguage(['fr-FR', 'de'])).toBe('en');
    expect(pickLanguage(['fr-FR', 'zh-TW'])).toBe('zh-TW');
    expect(pickLanguage([])).toBe('en');
  });
});
