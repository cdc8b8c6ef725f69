import {
  DEFAULT_BANK_SETTINGS,
  bankSettingsSchema,
  type BankSettings,
  type BankSettingsUpdate,
} from '@strata/core';
import { appendAudit } from './audit.js';
import type { StrataDb } from './types.js';

const PARTS = ['lifecycle', 'retailLadder', 'corporateLadder', 'contactPolicy'] as const;

/** The settings in force: what is stored, the defaults for the rest. */
export function getBankSettings(db: StrataDb): BankSettings {
  const rows = db.sqlite.prepare('SELECT key, value FROM bank_settings').all() as {
    key: (typeof PARTS)[number];
    value: string;
  }[];
  const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  return { ...DEFAULT_BANK_SETTINGS, ...stored } as BankSettings;
}

/** Why an update was refused: each bad field's path and reason. Nothing was stored. */
export class SettingsError extends Error {
  constructor(readonly issues: readonly { readonly path: string; readonly message: string }[]) {
    super(`Settings refused: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

/**
 * Replaces the given parts of the settings (each part whole), after checking them all; audited
 * with what each part was and became, in the same transaction. Takes effect at the next
 * refresh and list generation; earlier runs and lists keep what they ran with.
 */
export function updateBankSettings(
  db: StrataDb,
  update: Partial<BankSettings> | BankSettingsUpdate,
  by: { readonly actor: string; readonly origin: string | null },
  now: Date = new Date(),
): BankSettings {
  const parsed = bankSettingsSchema.safeParse(update);
  if (!parsed.success)
    throw new SettingsError(
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  return db.sqlite.transaction(() => {
    const before = getBankSettings(db);
    const upsert = db.sqlite.prepare(
      `INSERT INTO bank_settings (key, value, updated_by, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    );
    const changed: Record<string, { before: unknown; after: unknown }> = {};
    for (const part of PARTS) {
      const value = parsed.data[part];
      if (value === undefined) continue;
      if (JSON.stringify(value) === JSON.stringify(before[part])) continue;
      upsert.run(part, JSON.stringify(value), by.actor, now.toISOString());
      changed[part] = { before: before[part], after: value };
    }
    if (Object.keys(changed).length > 0)
      appendAudit(
        db,
        {
          actor: by.actor,
          action: 'settings.update',
          target: 'settings',
          detail: changed,
          origin: by.origin,
        },
        now,
      );
    return getBankSettings(db);
  })();
}
