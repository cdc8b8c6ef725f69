import { createServiceToken, type StrataDb } from '@strata/db';
import type { Role } from '@strata/db/schema';
import { createContext } from './context.js';
import { createCaller } from './root.js';

let made = 0;

/**
 * For tests: an in-process caller acting as a service token of `role` (a machine identity, so
 * mutations need no CSRF header), with the scope the role needs.
 */
export function callerAs(
  db: StrataDb,
  role: Role,
  now: () => Date = () => new Date(),
  scope: { orgUnitId?: number; rmId?: number } = {},
): ReturnType<typeof createCaller> {
  const { token } = createServiceToken(
    db,
    { name: `test-${role}-${++made}`, role, ...scope },
    now(),
  );
  return createCaller(createContext(db, now, { bearer: token }));
}
