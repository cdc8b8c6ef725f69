import { strataPostgresTestConfig } from '@strata/vitest-config';

// The tRPC integration tests again, on PostgreSQL (`pnpm test:pg`).
export default strataPostgresTestConfig({ include: ['src/**/*.test.ts'] });
