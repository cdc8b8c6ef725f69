import { actionsRouter } from './routers/actions.js';
import { authRouter } from './routers/auth.js';
import { embedKeysRouter } from './routers/embed-keys.js';
import { kpiRouter } from './routers/kpi.js';
import { customersRouter } from './routers/customers.js';
import { eventsRouter } from './routers/events.js';
import { importsRouter } from './routers/imports.js';
import { insightRouter } from './routers/insight.js';
import { lifecycleRouter } from './routers/lifecycle.js';
import { listsRouter } from './routers/lists.js';
import { orgRouter } from './routers/org.js';
import { outcomesRouter } from './routers/outcomes.js';
import { segmentsRouter } from './routers/segments.js';
import { settingsRouter } from './routers/settings.js';
import { strategiesRouter } from './routers/strategies.js';
import { usersRouter } from './routers/users.js';
import { createCallerFactory, publicProcedure, router } from './trpc.js';

export const appRouter = router({
  /** A trivial procedure for liveness checks and load-test baselines. */
  health: publicProcedure.query(() => ({ status: 'ok' as const })),
  actions: router(actionsRouter),
  auth: router(authRouter),
  embedKeys: router(embedKeysRouter),
  customers: router(customersRouter),
  events: router(eventsRouter),
  imports: router(importsRouter),
  insight: router(insightRouter),
  kpi: router(kpiRouter),
  lifecycle: router(lifecycleRouter),
  lists: router(listsRouter),
  org: router(orgRouter),
  outcomes: router(outcomesRouter),
  segments: router(segmentsRouter),
  settings: router(settingsRouter),
  strategies: router(strategiesRouter),
  users: router(usersRouter),
});

/** The API's type, for typed clients (`createTRPCClient<AppRouter>`). */
export type AppRouter = typeof appRouter;

/** Calls procedures in-process, e.g. from tests or scripts. */
export const createCaller = createCallerFactory(appRouter);
