import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/platform/config.js';

/** The ConfigError loadConfig throws for env (fails the test when it does not throw). */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

const VARIABLES = ['PORT', 'QUEUE_GRACE_SECONDS', 'DATABASE_URL', 'REDIS_URL', 'DEMO_DATA', 'ADMIN_EMAIL', 'LOG_LEVEL', 'WORKERS'];

/** The message names `name` and none of the other variables (they were fine). */
function expectNames(err: ConfigError, name: string): void {
  expect(err.message).toMatch(new RegExp(`\\b${name}\\b`));
  for (const other of VARIABLES.filter((v) => v !== name && !v.startsWith(name) && !name.startsWith(v))) {
    expect(err.message).not.toMatch(new RegExp(`\\b${other}\\b`));
  }
}

describe('loadConfig', () => {
  it('when the environment is empty, then every documented default applies', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      DATA_DIR: './data',
      QUEUE_GRACE_SECONDS: 120,
      ADMITTED_GRACE_SECONDS: 30,
      ENABLE_LOAD_TEST_API: false,
      cookieSecure: false,
      LOG_LEVEL: 'info',
      WORKERS: 1,
      demoData: true,
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.REDIS_URL).toBeUndefined();
  });

  it('when variables are set to empty strings, then they count as unset', () => {
    const c = loadConfig({ PORT: '', QUEUE_GRACE_SECONDS: '', DATABASE_URL: '', REDIS_URL: '', DEMO_DATA: '' });
    expect(c).toMatchObject({ PORT: 3000, QUEUE_GRACE_SECONDS: 120, demoData: true });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.REDIS_URL).toBeUndefined();
  });

  it('when valid values are given, then they are read as numbers, flags and URLs', () => {
    const c = loadConfig({
      PORT: '8080',
      QUEUE_GRACE_SECONDS: '5',
      DATABASE_URL: 'postgresql://u:p@db:5432/tickets',
      REDIS_URL: 'rediss://cache:6380',
      ENABLE_LOAD_TEST_API: '1',
      COOKIE_SECURE: 'true',
    });
    expect(c).toMatchObject({
      PORT: 8080,
      QUEUE_GRACE_SECONDS: 5,
      DATABASE_URL: 'postgresql://u:p@db:5432/tickets',
      REDIS_URL: 'rediss://cache:6380',
      ENABLE_LOAD_TEST_API: true,
      COOKIE_SECURE: true,
      cookieSecure: true,
    });
    expect(loadConfig({ PORT: '0' }).PORT).toBe(0);
    expect(loadConfig({ PORT: '65535' }).PORT).toBe(65535);
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/x' }).DATABASE_URL).toBe('postgres://localhost/x');
    expect(loadConfig({ REDIS_URL: 'redis://localhost:6379' }).REDIS_URL).toBe('redis://localhost:6379');
    expect(loadConfig({ QUEUE_GRACE_SECONDS: '3600' }).QUEUE_GRACE_SECONDS).toBe(3600);
  });

  it('when COOKIE_SECURE is unset, then the cookie is Secure outside demo mode only; set, it decides', () => {
    expect(loadConfig({}).cookieSecure).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x' }).cookieSecure).toBe(true);
    expect(loadConfig({ DEMO_DATA: '0' }).cookieSecure).toBe(true);
    expect(loadConfig({ DEMO_DATA: '1', DATABASE_URL: 'postgres://db/x' }).cookieSecure).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x', COOKIE_SECURE: '0' }).cookieSecure).toBe(false);
    expect(loadConfig({ COOKIE_SECURE: '1' }).cookieSecure).toBe(true);
    expect(loadConfig({}).COOKIE_SECURE).toBeUndefined();
  });

  it('when no environment is passed, then process.env is read', () => {
    const saved = process.env.QUEUE_GRACE_SECONDS;
    process.env.QUEUE_GRACE_SECONDS = '17';
    try {
      expect(loadConfig().QUEUE_GRACE_SECONDS).toBe(17);
    } finally {
      if (saved === undefined) delete process.env.QUEUE_GRACE_SECONDS;
      else process.env.QUEUE_GRACE_SECONDS = saved;
    }
  });

  it.each(['abc', '70000', '65536', '-1', '3000.5', '1e3', '0x50', ' ', '80 80'])('when PORT is %j, then it throws a ConfigError naming PORT', (v) => {
    expectNames(configError({ PORT: v }), 'PORT');
  });

  it.each(['0', '3601', 'thirty', '-5', '2.5'])('when QUEUE_GRACE_SECONDS is %j, then it throws a ConfigError naming QUEUE_GRACE_SECONDS', (v) => {
    expectNames(configError({ QUEUE_GRACE_SECONDS: v }), 'QUEUE_GRACE_SECONDS');
  });

  it.each(['0', '3601', 'thirty'])('when ADMITTED_GRACE_SECONDS is %j, then it throws a ConfigError naming ADMITTED_GRACE_SECONDS', (v) => {
    expect(configError({ ADMITTED_GRACE_SECONDS: v }).message).toMatch(/\bADMITTED_GRACE_SECONDS\b/);
  });

  it('when the login limits are unset, then 10 failures per email and address and 100 per address apply; set, they are read', () => {
    expect(loadConfig({})).toMatchObject({ LOGIN_PAIR_RATE_LIMIT: 10, LOGIN_IP_RATE_LIMIT: 100 });
    expect(loadConfig({ LOGIN_PAIR_RATE_LIMIT: '3', LOGIN_IP_RATE_LIMIT: '50' })).toMatchObject({ LOGIN_PAIR_RATE_LIMIT: 3, LOGIN_IP_RATE_LIMIT: 50 });
  });

  it.each([
    ['LOGIN_PAIR_RATE_LIMIT', '0'],
    ['LOGIN_PAIR_RATE_LIMIT', 'ten'],
    ['LOGIN_IP_RATE_LIMIT', '0'],
    ['LOGIN_IP_RATE_LIMIT', '-1'],
  ])('when %s is %j (login throttling is never off), then it throws a ConfigError naming it', (name, v) => {
    expect(configError({ [name]: v }).message).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it.each(['mysql://localhost/db', 'localhost:5432', 'http://db:5432/x', 'not a url'])('when DATABASE_URL is %j, then it throws a ConfigError naming DATABASE_URL', (v) => {
    expectNames(configError({ DATABASE_URL: v }), 'DATABASE_URL');
  });

  it.each(['http://localhost:6379', 'localhost:6379', 'redis:/x'])('when REDIS_URL is %j, then it throws a ConfigError naming REDIS_URL', (v) => {
    expectNames(configError({ REDIS_URL: v }), 'REDIS_URL');
  });

  it('when several variables are bad, then the message names each of them', () => {
    const err = configError({ PORT: 'x', REDIS_URL: 'http://r' });
    expect(err.message).toMatch(/\bPORT\b/);
    expect(err.message).toMatch(/\bREDIS_URL\b/);
  });

  it('when DEMO_DATA is not a flag, then it throws a ConfigError naming DEMO_DATA', () => {
    expectNames(configError({ DEMO_DATA: 'maybe' }), 'DEMO_DATA');
  });

  it('when only one of ADMIN_EMAIL and ADMIN_PASSWORD is set, then it throws a ConfigError about them', () => {
    expect(configError({ ADMIN_EMAIL: 'boss@example.com' }).message).toMatch(/ADMIN_PASSWORD/);
    expect(configError({ ADMIN_PASSWORD: 'longenough' }).message).toMatch(/ADMIN_EMAIL/);
    const c = loadConfig({ ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'longenough' });
    expect(c).toMatchObject({ ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'longenough' });
  });

  describe('demo data', () => {
    it('when there is no DATABASE_URL (embedded database), then demo data is on by default', () => {
      expect(loadConfig({}).demoData).toBe(true);
      expect(loadConfig({ DATA_DIR: '/var/lib/tc' }).demoData).toBe(true);
    });

    it('when DATABASE_URL is set, then demo data is off by default', () => {
      expect(loadConfig({ DATABASE_URL: 'postgres://db/x' }).demoData).toBe(false);
    });

    it.each([
      ['1', {}, true],
      ['true', { DATABASE_URL: 'postgres://db/x' }, true],
      ['yes', { DATABASE_URL: 'postgres://db/x' }, true],
      ['0', {}, false],
      ['false', {}, false],
      ['no', {}, false],
    ])('when DEMO_DATA is %j, then it decides whatever the database', (v, env, expected) => {
      expect(loadConfig({ ...env, DEMO_DATA: v }).demoData).toBe(expected);
    });
  });
});

describe('DEFAULT_TIME_ZONE', () => {
  it('when unset, then venues default to UTC; when set, to that zone in its canonical spelling', () => {
    expect(loadConfig({}).DEFAULT_TIME_ZONE).toBe('UTC');
    expect(loadConfig({ DEFAULT_TIME_ZONE: 'Asia/Taipei' }).DEFAULT_TIME_ZONE).toBe('Asia/Taipei');
    expect(loadConfig({ DEFAULT_TIME_ZONE: 'europe/berlin' }).DEFAULT_TIME_ZONE).toBe('Europe/Berlin');
  });

  it.each(['Asia/Taipeh', '+08:00', 'CEST?', 'Mars/Base'])('when it is %j, then the start stops naming DEFAULT_TIME_ZONE', (zone) => {
    const err = configError({ DEFAULT_TIME_ZONE: zone });
    expect(err.message).toMatch(/\bDEFAULT_TIME_ZONE\b/);
    expect(err.message).toMatch(/IANA time zone/);
  });
});

describe('SMTP_URL, MAIL_FROM and PUBLIC_URL', () => {
  it('when unset, then there is no SMTP server (files in DATA_DIR/mail), a default sender, and links point at localhost:PORT', () => {
    const c = loadConfig({ PORT: '4000' });
    expect(c.SMTP_URL).toBeUndefined();
    expect(c.MAIL_FROM).toBe('TicketClub <tickets@localhost>');
    expect(c.publicUrl).toBe('http://localhost:4000');
  });

  it('when set, then they are read (PUBLIC_URL without its trailing slash)', () => {
    const c = loadConfig({ SMTP_URL: 'smtps://user:secret@mail.example.com:465', MAIL_FROM: 'tickets@example.com', PUBLIC_URL: 'https://tickets.example.com/' });
    expect(c.SMTP_URL).toBe('smtps://user:secret@mail.example.com:465');
    expect(c.MAIL_FROM).toBe('tickets@example.com');
    expect(c.publicUrl).toBe('https://tickets.example.com');
  });

  it.each([
    ['SMTP_URL', 'mail.example.com:25'],
    ['SMTP_URL', 'http://mail.example.com'],
    ['SMTP_URL', 'smtp://'],
    ['MAIL_FROM', 'not an address'],
    ['MAIL_FROM', 'Evil <a@b>\r\nBcc: x@y'],
    ['PUBLIC_URL', 'tickets.example.com'],
  ])('when %s is %j, then the start stops naming it', (name, value) => {
    expect(configError({ [name]: value }).message).toMatch(new RegExp(`\\b${name}\\b`));
  });
});
