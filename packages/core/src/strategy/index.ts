export { assignArm, hashText, splitPosition } from './control.js';
export type { Arm } from './control.js';
export { DEFAULT_CONTACT_POLICY, arbitrate, arbitrateEach, nextContactTime } from './arbitrate.js';
export type { Claim, ClaimOutcome, ContactFacts, ContactPolicy, Decision } from './arbitrate.js';
export {
  OBJECTIVES,
  STRATEGY_STATUSES,
  audienceSchema,
  canTransition,
  scheduleSchema,
  strategyDefinitionSchema,
} from './definition.js';
export type {
  Objective,
  StrategyDefinition,
  StrategyDefinitionInput,
  StrategyStatus,
} from './definition.js';
export { buildStrategyMap } from './map.js';
export type {
  Collision,
  MapCell,
  MapCellInput,
  MapStrategy,
  StrategyMap,
  StrategyMapOptions,
} from './map.js';
export { generateLists } from './lists.js';
export type { Excluded, ListEntry, ListRequest, ListSummary } from './lists.js';
export {
  RESPONSIVENESS_MODEL,
  ScorerRegistry,
  defaultScorers,
  logisticModelSchema,
  logisticScorer,
  modelSelectionSchema,
  selectByModel,
} from './scoring.js';
export type {
  LogisticModel,
  LogisticModelInput,
  ModelSelection,
  Scorer,
  Selection,
} from './scoring.js';
export { describeAudience } from './describe.js';
