import { strataTestConfig } from '@strata/vitest-config';

export default strataTestConfig();
