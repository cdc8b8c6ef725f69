// The audience sentence lives in @strata/core, shared with the server and the widgets.
export { describeAudience as audienceText } from '@strata/core';
