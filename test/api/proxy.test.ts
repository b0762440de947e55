import { describe, expect, it } from 'vitest';
import { call } from '../support/api-client.js';
import { startHarness } from '../support/harness.js';

describe('client addresses', () => {
  it('when no proxy is trusted, then X-Forwarded-For cannot dodge the per-IP signup limit', async () => {
    const h = await startHarness({ env: { TRUST_PROXY: '0', SIGNUP_RATE_LIMIT: '2' } });
    try {
      const signup = (i: number) =>
        call(h.ticketClub.app, 'POST', '/api/auth/signup', {
          body: { name: 'Fan', email: `proxy${Date.now()}${i}@example.com`, password: 'password123' },
          headers: { 'x-forwarded-for': `198.51.100.${i}` },
        });
      expect((await signup(1)).status).toBe(201);
      expect((await signup(2)).status).toBe(201);
      const third = await signup(3);
      expect([third.status, third.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    } finally {
      await h.close();
    }
  });
});
