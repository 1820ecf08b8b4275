/**
 * Shop and register settings in a JSON file in the data folder. Written atomically (temp file +
 * rename) so a crash mid-write never leaves a half file that would reset the shop's configuration.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import type { SettingsPatchSchema } from '../../shared/contract';
import { SettingsSchema, type Settings } from '../../shared/contract';

const StoredSchema = SettingsSchema.omit({ hasToken: true });
export type StoredSettings = z.infer<typeof StoredSchema>;

export const DEFAULT_SETTINGS: StoredSettings = {
  locale: null,
  site: 'MLA',
  shopName: 'Mi Almacén',
  shopAddress: 'Av. Corrientes 1234, CABA',
  registerId: 'CAJA1',
  defaultTerminalId: null,
  refundThreshold: 0,
  pollSeconds: 3,
  account: null,
};

export interface SettingsStore {
  get(): StoredSettings;
  /** A patch from the contract, or what main itself records (the checked account). */
  update(patch: z.infer<typeof SettingsPatchSchema> & Partial<Pick<StoredSettings, 'account'>>): StoredSettings;
}

export function openSettingsStore(file: string): SettingsStore {
  let current = load(file);
  return {
    get: () => current,
    update(patch) {
      current = StoredSchema.parse({ ...current, ...patch });
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, JSON.stringify(current, null, 2), { mode: 0o600 });
      renameSync(tmp, file);
      return current;
    },
  };
}

function load(file: string): StoredSettings {
  if (!existsSync(file)) return DEFAULT_SETTINGS;
  try {
    // Unknown or broken fields fall back to defaults one by one rather than losing the whole file.
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof StoredSettings)[]) {
      if (StoredSchema.shape[key].safeParse(raw[key]).success) merged[key] = raw[key];
    }
    return StoredSchema.parse(merged);
  } catch {
    return DEFAULT_SETTINGS;
  }
}

export function toSettingsView(stored: StoredSettings, hasToken: boolean): Settings {
  return { ...stored, hasToken };
}
