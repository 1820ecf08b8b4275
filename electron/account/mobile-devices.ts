/**
 * The two account-level steps of the mobile Integration via API (phones running the Mercado Pago
 * app): the one-time "enable integrators" for the account, and removing a phone from it. Neither is
 * about a sale, so they live beside the account, not in the checkout engine.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { enc, mapper, type PointHttp } from '../point/http';

/** `POST /point/services/user/status/integrators {Id}`: lets integrations send orders to this account's phones. */
export async function enableIntegrators(http: PointHttp, userId: string): Promise<void> {
  const id = Number(userId);
  await http.write('POST', '/point/services/user/status/integrators', { Id: id }, z.unknown(), {
    idempotencyKey: randomUUID(),
    // Enabling twice is harmless: the state is the same either way.
    replaySafe: true,
    what: 'enabling integrations for phones',
    mapError: mapper((f) =>
      f.status === 400 ? ['AUTH', 'Mercado Pago refused: the user id does not match the token’s account. Check the token on the Manager screen.'] : null,
    ),
  });
}

/** `DELETE /point/services/integrations/v1/devices/{name}`: the phone stops being a terminal of this account. */
export async function removePhone(http: PointHttp, deviceName: string): Promise<void> {
  await http.write('DELETE', `/point/services/integrations/v1/devices/${enc(deviceName)}`, undefined, z.unknown(), {
    idempotencyKey: randomUUID(),
    replaySafe: true,
    what: 'removing the phone',
    mapError: mapper((f) => {
      if (f.status === 409) return ['TERMINAL_BUSY', 'That phone has a charge open: finish or clear it before removing the phone.'];
      if (f.status === 404) return ['TERMINAL_NOT_FOUND', 'Mercado Pago does not know that phone any more. Refresh the list.'];
      return null;
    }),
  });
}
