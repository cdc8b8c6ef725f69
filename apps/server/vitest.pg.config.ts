import { strataPostgresTestConfig } from '@strata/vitest-config';

// The server's integration tests (real HTTP) again, on PostgreSQL (`pnpm test:pg`): the
// authorization matrix, sign-in, embedding and the strategy loop.
export default strataPostgresTestConfig({
  include: [
    'test/authz.test.ts',
    'test/auth.test.ts',
    'test/embed.test.ts',
    'test/strategy-loop.test.ts',
  ],
});
