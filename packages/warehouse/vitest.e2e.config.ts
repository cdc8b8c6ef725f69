import { strataE2eConfig } from '@strata/vitest-config';

export default strataE2eConfig();
