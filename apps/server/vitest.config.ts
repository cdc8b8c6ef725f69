import { strataTestConfig } from '@strata/vitest-config';

export default strataTestConfig({ include: ['test/**/*.test.ts'] });
