import {
  LoginLimiter,
  appendAudit,
  authenticate,
  countUsers,
  createSession,
  createUser,
  endSession,
  type StrataDb,
  type UserRow,
} from '@strata/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { SESSION_COOKIE, type Context } from '../context.js';
import { publicProcedure } from '../trpc.js';

/** One limiter per database (per server): 5 failed logins per user and address per 15 minutes. */
const limiters = new WeakMap<StrataDb, LoginLimiter>();
const limiterOf = (db: StrataDb) => {
  let limiter = limiters.get(db);
  if (!limiter) {
    limiter = new LoginLimiter(5, 15 * 60_000);
    limiters.set(db, limiter);
  }
  return limiter;
};

function cookie(ctx: Context, token: string, expiresAt: string | null): string {
  const parts = [
    `${SESSION_COOKIE}=${expiresAt ? token : ''}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    expiresAt ? `Expires=${new Date(expiresAt).toUTCString()}` : 'Max-Age=0',
  ];
  if (ctx.http.secure) parts.push('Secure');
  return parts.join('; ');
}

/** Opens a session for a user: the cookie goes out with the response, the CSRF token in the body. */
function signIn(ctx: Context, user: UserRow) {
  const session = createSession(ctx.db, user.id, ctx.now());
  ctx.http.setCookie?.(cookie(ctx, session.token, session.expiresAt));
  return { user, csrf: session.csrf, expiresAt: session.expiresAt };
}

const credentials = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const authRouter = {
  /** Whether the first-run setup is open, and who is signed in. */
  status: publicProcedure.query(({ ctx }) => ({
    setupOpen: countUsers(ctx.db) === 0,
    user: ctx.session?.user ?? null,
    /** The session's CSRF token: the dashboard echoes it in `x-strata-csrf` on mutations. */
    csrf: ctx.session?.csrf ?? null,
    service: ctx.service ? { name: ctx.service.name, role: ctx.service.role } : null,
  })),

  /** The first-run setup: creates the first admin and signs them in. Closed once a user exists. */
  setup: publicProcedure
    .input(
      credentials.extend({
        username: z
          .string()
          .trim()
          .regex(
            /^[a-z][a-z0-9._-]{2,31}$/,
            'a username is 3–32 lower-case letters, digits, . _ -',
          ),
        displayName: z.string().trim().min(1).max(60),
        password: z.string().min(12, 'a password has at least 12 characters').max(256),
      }),
    )
    .mutation(({ ctx, input }) => {
      const user = ctx.db.sqlite.transaction(() => {
        if (countUsers(ctx.db) > 0)
          throw new TRPCError({
            code: 'FORBIDDEN',
            message: 'The first-run setup is closed: an admin exists.',
          });
        const admin = createUser(ctx.db, { ...input, role: 'admin', canUnmask: true }, ctx.now());
        appendAudit(
          ctx.db,
          {
            actor: admin.username,
            action: 'setup',
            target: `user:${admin.id}`,
            origin: ctx.http.ip ?? null,
          },
          ctx.now(),
        );
        return admin;
      })();
      return signIn(ctx, user);
    }),

  /** Signs in with a username and password. Five failures in 15 minutes lock that pair out. */
  login: publicProcedure.input(credentials).mutation(({ ctx, input }) => {
    const limiter = limiterOf(ctx.db);
    const key = `${input.username}|${ctx.http.ip ?? ''}`;
    const now = ctx.now().getTime();
    const wait = limiter.retryAfter(key, now);
    if (wait > 0)
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `Too many failed logins: try again in ${Math.ceil(wait / 60_000)} minutes.`,
      });
    const user = authenticate(ctx.db, input.username, input.password);
    const origin = ctx.http.ip ?? null;
    if (!user) {
      limiter.fail(key, now);
      appendAudit(ctx.db, { actor: input.username, action: 'login.failed', origin }, ctx.now());
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Wrong username or password.' });
    }
    limiter.succeed(key);
    appendAudit(ctx.db, { actor: user.username, action: 'login', origin }, ctx.now());
    return signIn(ctx, user);
  }),

  /** Ends the session. */
  logout: publicProcedure.mutation(({ ctx }) => {
    if (ctx.session) {
      endSession(ctx.db, ctx.session.token);
      appendAudit(
        ctx.db,
        { actor: ctx.session.user.username, action: 'logout', origin: ctx.http.ip ?? null },
        ctx.now(),
      );
    }
    ctx.http.setCookie?.(cookie(ctx, '', null));
    return { ok: true as const };
  }),
};
