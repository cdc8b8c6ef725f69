import { base, pureCore } from '@strata/eslint-config/base';

export default [...base, pureCore];
