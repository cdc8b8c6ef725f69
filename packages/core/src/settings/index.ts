export { DEFAULT_BANK_SETTINGS, bankSettingsSchema, lifecycleConfigOf } from './settings.js';
export type { BankSettings, BankSettingsUpdate } from './settings.js';
