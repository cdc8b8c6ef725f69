import { strataTestConfig } from '@strata/vitest-config';

export default strataTestConfig({ include: ['src/**/*.test.ts'] });
