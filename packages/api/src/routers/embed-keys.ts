import {
  createEmbedKey,
  listEmbedKeys,
  revokeEmbedKey,
  rotateEmbedKey,
  type StrataDb,
} from '@strata/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { MAX_EMBED_TOKEN_SECONDS } from '../embed.js';
import { rolesProcedure } from '../trpc.js';

const kid = z.string().regex(/^sek_[\w-]{6,32}$/, 'a key id looks like sek_…');
const publicJwk = z
  .object({
    kty: z.literal('EC'),
    crv: z.literal('P-256'),
    x: z.string().min(40),
    y: z.string().min(40),
  })
  .loose()
  .refine((k) => !('d' in k), 'that is a private key: give Strata the public key only');

/** Turns the db's RangeErrors (bad origin, missing name) into BAD_REQUEST. */
function checked<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof RangeError)
      throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
    throw error;
  }
}

function by(ctx: { caller: { actor: string }; http: { ip?: string | null } }) {
  return { actor: ctx.caller.actor, origin: ctx.http.ip ?? null };
}

const strip = (jwk: z.infer<typeof publicJwk>) =>
  JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });

/** Embed keys: what portals' back ends sign widget tokens with (admin only; all audited). */
export const embedKeysRouter = {
  /** Every key, newest first, without secrets; the most a token may live. */
  list: rolesProcedure('admin').query(({ ctx }) => ({
    keys: listEmbedKeys(ctx.db, ctx.now()),
    maxTokenSeconds: MAX_EMBED_TOKEN_SECONDS,
  })),

  /**
   * Creates a key for a portal: its name, allowed origins and algorithm. HS256 answers the
   * secret — shown this once only; ES256 takes the portal's public key (JWK).
   */
  create: rolesProcedure('admin')
    .input(
      z.discriminatedUnion('alg', [
        z.object({
          alg: z.literal('HS256'),
          name: z.string().trim().min(1).max(80),
          origins: z.array(z.string().max(200)).min(1).max(20),
        }),
        z.object({
          alg: z.literal('ES256'),
          name: z.string().trim().min(1).max(80),
          origins: z.array(z.string().max(200)).min(1).max(20),
          publicJwk,
        }),
      ]),
    )
    .mutation(({ ctx, input }) =>
      checked(() =>
        createEmbedKey(
          ctx.db as StrataDb,
          {
            name: input.name,
            alg: input.alg,
            origins: input.origins,
            publicJwk: input.alg === 'ES256' ? strip(input.publicJwk) : null,
          },
          by(ctx),
          ctx.now(),
        ),
      ),
    ),

  /**
   * Replaces a key with a new one (same name, origins, algorithm); the old key keeps working
   * for `graceSeconds` so portals can switch over. ES256 takes the new public key.
   */
  rotate: rolesProcedure('admin')
    .input(
      z.object({
        kid,
        graceSeconds: z
          .number()
          .int()
          .min(0)
          .max(30 * 86_400)
          .default(86_400),
        publicJwk: publicJwk.optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      const rotated = checked(() =>
        rotateEmbedKey(
          ctx.db,
          input.kid,
          {
            graceSeconds: input.graceSeconds,
            publicJwk: input.publicJwk ? strip(input.publicJwk) : null,
          },
          by(ctx),
          ctx.now(),
        ),
      );
      if (!rotated)
        throw new TRPCError({ code: 'NOT_FOUND', message: `No live embed key ${input.kid}.` });
      return rotated;
    }),

  /** Revokes a key now: tokens signed with it are refused from the next request. */
  revoke: rolesProcedure('admin')
    .input(z.object({ kid }))
    .mutation(({ ctx, input }) => {
      if (!revokeEmbedKey(ctx.db, input.kid, by(ctx), ctx.now()))
        throw new TRPCError({ code: 'NOT_FOUND', message: `No live embed key ${input.kid}.` });
      return { kid: input.kid, revoked: true };
    }),
};
