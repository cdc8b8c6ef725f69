import { bankSettingsSchema } from '@strata/core';
import { SettingsError, getBankSettings, updateBankSettings } from '@strata/db';
import { TRPCError } from '@trpc/server';
import { rolesProcedure, signedInProcedure } from '../trpc.js';

/** The bank's settings: lifecycle thresholds, value ladders, contact policy. */
export const settingsRouter = {
  /** The settings in force (the defaults for what was never changed), for everyone signed in. */
  get: signedInProcedure.query(({ ctx }) => getBankSettings(ctx.db)),

  /**
   * Replaces parts of the settings (admins; each part whole). Every field is checked first and a
   * refusal names the field and why, storing nothing; audited with before and after. Takes
   * effect at the next refresh and list generation.
   */
  update: rolesProcedure('admin')
    .input(bankSettingsSchema)
    .mutation(({ ctx, input }) => {
      try {
        return updateBankSettings(
          ctx.db,
          input,
          { actor: ctx.caller.actor, origin: ctx.http.ip ?? null },
          ctx.now(),
        );
      } catch (error) {
        if (error instanceof SettingsError)
          throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
        throw error;
      }
    }),
};
