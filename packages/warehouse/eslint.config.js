import { base } from '@strata/eslint-config/base';

export default base;
