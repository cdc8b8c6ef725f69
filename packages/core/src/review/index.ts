export {
  incompleteBeta,
  logGamma,
  normalCdf,
  normalQuantile,
  normalSf,
  studentTCdf,
  studentTQuantile,
} from './distributions.js';
export {
  compareProportions,
  minimumDetectableEffect,
  requiredAudience,
  summarize,
  welchTTest,
} from './stats.js';
export type {
  Conversions,
  MeanComparison,
  PowerOptions,
  ProportionComparison,
  Summary,
} from './stats.js';
export { differenceInDifferences } from './did.js';
export type { DidEstimate, StratumChanges } from './did.js';
export { recommend } from './recommend.js';
export type { Recommendation } from './recommend.js';
