import { strataPostgresTestConfig } from '@strata/vitest-config';

// The server's integration tests (real HTTP) again, on PostgreSQL (`pnpm test:pg`): the
// authorization matrix, sign-in, embedding, the strategy loop and the remembered answers.
export default strataPostgresTestConfig({
  include: [
    'test/answers.test.ts',
    'test/authz.test.ts',
    'test/auth.test.ts',
    'test/embed.test.ts',
    'test/strategy-loop.test.ts',
  ],
});
