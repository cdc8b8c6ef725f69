import { appendAudit, createUser, listUsers, setUserDisabled } from '@strata/db';
import { ROLES } from '@strata/db/schema';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { rolesProcedure } from '../trpc.js';

const admin = rolesProcedure('admin');

/** Users and roles, for admins: every change is audited. */
export const usersRouter = {
  /** Every user with role, scope, unmask permission and whether disabled (never a password). */
  list: admin.query(({ ctx }) => listUsers(ctx.db)),

  /**
   * Creates a user. A branch manager needs the branch (org unit) they run, a relationship
   * manager the RM they are; a password has at least 12 characters.
   */
  create: admin
    .input(
      z
        .object({
          username: z
            .string()
            .trim()
            .regex(
              /^[a-z][a-z0-9._-]{2,31}$/,
              'a username is 3–32 lower-case letters, digits, . _ -',
            ),
          displayName: z.string().trim().min(1).max(60),
          role: z.enum(ROLES),
          password: z.string().min(12, 'a password has at least 12 characters').max(256),
          orgUnitId: z.number().int().positive().optional(),
          rmId: z.number().int().positive().optional(),
          canUnmask: z.boolean().default(false),
        })
        .refine((u) => u.role !== 'branch_manager' || u.orgUnitId !== undefined, {
          message: 'a branch manager needs the org unit (branch) they manage',
          path: ['orgUnitId'],
        })
        .refine((u) => u.role !== 'relationship_manager' || u.rmId !== undefined, {
          message: 'a relationship manager user needs the relationship manager they are',
          path: ['rmId'],
        }),
    )
    .mutation(({ ctx, input }) => {
      const exists = ctx.db.sqlite
        .prepare('SELECT 1 FROM users WHERE username = ?')
        .get(input.username);
      if (exists)
        throw new TRPCError({ code: 'CONFLICT', message: `A user ${input.username} exists.` });
      if (
        input.orgUnitId !== undefined &&
        !ctx.db.sqlite.prepare('SELECT 1 FROM org_units WHERE id = ?').get(input.orgUnitId)
      )
        throw new TRPCError({ code: 'BAD_REQUEST', message: `No org unit ${input.orgUnitId}.` });
      if (
        input.rmId !== undefined &&
        !ctx.db.sqlite.prepare('SELECT 1 FROM relationship_managers WHERE id = ?').get(input.rmId)
      )
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `No relationship manager ${input.rmId}.`,
        });
      return ctx.db.sqlite.transaction(() => {
        const user = createUser(ctx.db, input, ctx.now());
        appendAudit(
          ctx.db,
          {
            actor: ctx.caller.actor,
            action: 'user.create',
            target: `user:${user.id}`,
            detail: {
              username: user.username,
              role: user.role,
              orgUnitId: user.orgUnitId,
              rmId: user.rmId,
              canUnmask: user.canUnmask,
            },
            origin: ctx.http.ip ?? null,
          },
          ctx.now(),
        );
        return user;
      })();
    }),

  /** Disables a user (their sessions end at once) or enables them again. */
  setDisabled: admin
    .input(z.object({ id: z.number().int().positive(), disabled: z.boolean() }))
    .mutation(({ ctx, input }) => {
      if (ctx.session?.user.id === input.id && input.disabled)
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'You cannot disable yourself.' });
      return ctx.db.sqlite.transaction(() => {
        const user = setUserDisabled(ctx.db, input.id, input.disabled);
        if (!user) throw new TRPCError({ code: 'NOT_FOUND', message: `No user ${input.id}.` });
        appendAudit(
          ctx.db,
          {
            actor: ctx.caller.actor,
            action: input.disabled ? 'user.disable' : 'user.enable',
            target: `user:${user.id}`,
            origin: ctx.http.ip ?? null,
          },
          ctx.now(),
        );
        return user;
      })();
    }),
};
