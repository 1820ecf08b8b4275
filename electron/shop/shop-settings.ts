/**
 * This till's membership of a shop: the connection (without its password, which the vault keeps),
 * the shop it belongs to and its own till id. A file of its own (`shop.json`) so that a till without
 * a shop never reads or writes any of it; written atomically like settings.json.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ShopConnectionSchema } from './shop-db';

export const ShopMembershipSchema = z.object({
  connection: ShopConnectionSchema.nullable(),
  /** The shop this till joins: tills of one shop share catalog, board and history. */
  shopId: z.string().min(1).max(64).regex(/^[\w.-]+$/),
  shopName: z.string().min(1).max(80),
  /** Chosen once per data folder and never reused: the outbox keys events by (till, seq). */
  tillId: z.string().uuid(),
});
export type ShopMembership = z.infer<typeof ShopMembershipSchema>;

export interface ShopSettingsStore {
  get(): ShopMembership | null;
  set(next: ShopMembership): ShopMembership;
  /** Leaves the shop; the till id is kept so that rejoining never duplicates its events. */
  disconnect(): void;
  /** This folder's till id (made on first use). */
  tillId(): string;
}

export function openShopSettings(file: string): ShopSettingsStore {
  let current: ShopMembership | null = load(file);
  // Written with the first membership; a till that never joined has pushed nothing under it.
  const tillId = current?.tillId ?? randomUUID();
  const write = (value: ShopMembership) => {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(value, null, 2), { mode: 0o600 });
    renameSync(tmp, file);
  };
  return {
    get: () => (current?.connection ? current : null),
    set(next) {
      current = ShopMembershipSchema.parse({ ...next, tillId });
      write(current);
      return current;
    },
    disconnect() {
      if (!current) return;
      current = { ...current, connection: null };
      write(current);
    },
    tillId: () => tillId,
  };
}

function load(file: string): ShopMembership | null {
  if (!existsSync(file)) return null;
  try {
    return ShopMembershipSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}
