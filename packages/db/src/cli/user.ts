// `strata user create|disable|enable`: users managed from the command line, each change audited.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { appendAudit } from '../audit.js';
import { createUser, setUserDisabled } from '../auth.js';
import type { Role } from '../schema/auth.js';
import type { StrataDb } from '../types.js';

/** The command line's options a user command reads. */
export interface UserOptions {
  readonly username?: string;
  readonly 'display-name'?: string;
  readonly role?: string;
  readonly 'org-unit'?: string;
  readonly rm?: string;
  readonly 'can-unmask'?: boolean;
}

/**
 * Creates a user (the password from $STRATA_PASSWORD or the first line of standard input), or
 * disables or enables one; exit code 2 when refused.
 */
export function runUserCommand(
  db: StrataDb,
  values: UserOptions,
  sub: 'create' | 'disable' | 'enable',
): void {
  const actor = `cli:${userInfo().username}`;
  if (sub === 'create') {
    const password =
      (process.env.STRATA_PASSWORD ?? readFileSync(0, 'utf8')).split(/\r?\n/)[0] ?? '';
    let user;
    try {
      user = db.sqlite.transaction(() => {
        const made = createUser(db, {
          username: values.username as string,
          displayName: values['display-name'] as string,
          role: values.role as Role,
          password,
          orgUnitId: values['org-unit'] === undefined ? null : Number(values['org-unit']),
          rmId: values.rm === undefined ? null : Number(values.rm),
          canUnmask: values['can-unmask'] ?? false,
        });
        appendAudit(db, {
          actor,
          action: 'user.create',
          target: `user:${made.id}`,
          detail: { username: made.username, role: made.role },
          origin: 'cli',
        });
        return made;
      })();
    } catch (error) {
      console.error((error as Error).message);
      process.exitCode = 2;
      return;
    }
    console.log(`user ${user.id} ${user.username} (${user.role}) created`);
    return;
  }
  const row = db.sqlite
    .prepare('SELECT id FROM users WHERE username = ?')
    .pluck()
    .get(values.username) as number | undefined;
  if (row === undefined) {
    console.error(`no user ${values.username}`);
    process.exitCode = 2;
    return;
  }
  db.sqlite.transaction(() => {
    setUserDisabled(db, row, sub === 'disable');
    appendAudit(db, {
      actor,
      action: sub === 'disable' ? 'user.disable' : 'user.enable',
      target: `user:${row}`,
      origin: 'cli',
    });
  })();
  console.log(`user ${values.username} ${sub}d`);
}
