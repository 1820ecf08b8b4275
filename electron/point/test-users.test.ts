import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator';
import { DEMO_ACCOUNT } from '../simulator/seed';
import { PointHttp } from './http';
import { createTestUser } from './test-users';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());

describe('test users', () => {
  it('creates up to ten, then refuses with a message a manager can act on', async () => {
    const http = new PointHttp({ baseUrl: sim.baseUrl, getToken: () => DEMO_ACCOUNT.token });
    const first = await createTestUser(http, 'MLB');
    expect(first).toMatchObject({ site: 'MLB', nickname: expect.stringMatching(/^TESTUSER/) });
    expect(first.password.length).toBeGreaterThan(4);
    for (let i = 1; i < 10; i++) await createTestUser(http, 'MLA');
    await expect(createTestUser(http, 'MLA')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('10 test users') });
  });

  it('reports a bad token as AUTH', async () => {
    const http = new PointHttp({ baseUrl: sim.baseUrl, getToken: () => 'TEST-not-a-real-token-000' });
    await expect(createTestUser(http, 'MLA')).rejects.toMatchObject({ code: 'AUTH' });
  });
});
