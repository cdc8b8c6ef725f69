import { strataPostgresTestConfig } from '@strata/vitest-config';

// The storage tests again, on PostgreSQL (`pnpm test:pg`).
export default strataPostgresTestConfig({
  include: [
    'src/actions.test.ts',
    'src/audit.test.ts',
    'src/auth.test.ts',
    'src/consent.test.ts',
    'src/lists.test.ts',
    'src/outcomes.test.ts',
    'src/ready-profiles.test.ts',
    'src/import.test.ts',
    'src/review.test.ts',
    'src/rules.property.test.ts',
    'src/search.test.ts',
    'src/settings.test.ts',
    'src/strategies.test.ts',
    'src/tasks.test.ts',
  ],
});
