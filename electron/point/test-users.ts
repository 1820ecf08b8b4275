/**
 * Test users (`POST /users/test_user`): a manager makes buyer/seller accounts to rehearse with
 * before going live. Mercado Pago allows at most 10 per account; the 11th is refused with a message
 * the manager can act on. The password is shown once and never stored by Caja.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SiteId } from '../../shared/money';
import type { PointHttp } from './http';
import { PointError } from './point-error';

const TestUserAnswer = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  nickname: z.string(),
  password: z.string(),
  email: z.string().nullish(),
  site_status: z.string().nullish(),
});

export interface CreatedTestUser {
  id: string;
  nickname: string;
  password: string;
  email: string | null;
  site: SiteId;
}

export async function createTestUser(http: PointHttp, site: SiteId): Promise<CreatedTestUser> {
  const answer = await http.write('POST', '/users/test_user', { site_id: site }, TestUserAnswer, {
    idempotencyKey: randomUUID(),
    // A lost answer may have created a user; repeating would spend one more of the ten.
    replaySafe: false,
    what: 'the test user',
    mapError: (f) =>
      f.status === 400 && /limit/i.test(`${f.apiCode ?? ''} ${f.apiMessage ?? ''}`)
        ? new PointError('CONFLICT', 'This account already has 10 test users, the most Mercado Pago allows. Unused ones expire after 60 days.', {
            status: f.status,
            apiCode: f.apiCode,
          })
        : null,
  });
  return { id: answer.id, nickname: answer.nickname, password: answer.password, email: answer.email ?? null, site };
}
