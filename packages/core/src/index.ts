export {
  addMonths,
  dayOf,
  daysInPeriod,
  isPeriod,
  isoDateOf,
  periodEndDay,
  periodOfDay,
  periodRange,
  periodStartDay,
} from './util/dates.js';
export type { Period } from './util/dates.js';
export { createRng, deriveSeed, mix32 } from './util/random.js';
export type { Rng } from './util/random.js';
export { LOCALES, toLocale } from './util/i18n.js';
export type { Locale, Localized } from './util/i18n.js';
export { formatCompact, formatCount, formatShare } from './util/format.js';

export { DEFAULT_RETAIL_LADDER, aumTierIndex } from './tiers/aum-ladder.js';
export type { TierRung } from './tiers/aum-ladder.js';
export {
  DEFAULT_CORPORATE_LADDER,
  NO_TIER,
  assignLadder,
  ladderWithHysteresis,
  rungLabel,
} from './tiers/ladder.js';
export type { HysteresisOptions } from './tiers/ladder.js';
export { paretoClasses, quantileCuts, quantileTiers, rfmScores } from './tiers/quantile.js';
export type { ParetoResult, RfmScores } from './tiers/quantile.js';
export { DEFAULT_RISK_TIERS, tiersByRules } from './tiers/by-rules.js';
export type { RuleTier } from './tiers/by-rules.js';

export {
  ENTERPRISE_SIZE_LABELS,
  SME_RULES_2011,
  enterpriseSize,
  smeIndustryOf,
} from './corporate/sme-size.js';
export type { EnterpriseSize, FirmMeasures, SmeIndustry, SmeRule } from './corporate/sme-size.js';

export {
  LIFECYCLE_STAGES,
  STAGE_LABELS,
  STAGE_PHASE,
  isLifecycleStage,
  stageCode,
  stageOf,
} from './lifecycle/stages.js';
export type { LifecycleStage } from './lifecycle/stages.js';
export { DEFAULT_LIFECYCLE_CONFIG, lifecycleConfig } from './lifecycle/config.js';
export type { LifecycleConfig } from './lifecycle/config.js';
export { NEVER, NOT_LINKED, createLifecycleFrame } from './lifecycle/frame.js';
export type { LifecycleFrame } from './lifecycle/frame.js';
export { LIFECYCLE_REASONS, evaluateLifecycle, explainLifecycle } from './lifecycle/evaluate.js';
export type {
  LifecycleEvaluation,
  LifecycleExplanation,
  LifecycleFigures,
  LifecycleReason,
} from './lifecycle/evaluate.js';
export { describeLifecycle, stageDefinitions } from './lifecycle/describe.js';
export {
  funnelFromCounts,
  lifecycleFunnel,
  lifecycleFunnelByGroup,
  stageLabel,
} from './lifecycle/funnel.js';
export type { FunnelOptions, FunnelRow } from './lifecycle/funnel.js';
export {
  migrationFromCounts,
  migrationMatrix,
  migrationMatrixByGroup,
} from './lifecycle/migration.js';
export type { MigrationMatrix } from './lifecycle/migration.js';

export {
  BOOLEAN_ATTRIBUTES,
  CATEGORY_ATTRIBUTES,
  FEATURES,
  FEATURE_KEYS,
  METRICS,
  NUMBER_ATTRIBUTES,
  TREND_METRICS,
  featureDef,
} from './features/catalog.js';
export type {
  BooleanAttribute,
  CategoryAttribute,
  CategoryExpr,
  FeatureDef,
  FeatureKey,
  Metric,
  NumberAttribute,
  NumberExpr,
  TrendMetric,
} from './features/catalog.js';
export { EVENT_LABELS, MOT_EVENT_TYPES } from './features/events.js';
export type { MotEventType } from './features/events.js';
export { concatInputs, encodeCategory, selectCustomers } from './features/input.js';
export type { CategoryColumn, FeatureInput } from './features/input.js';
export { FeatureFrame } from './features/frame.js';
export { COMPARISONS, RuleError, conditionSchema, parseRule } from './rules/schema.js';
export type { Comparison, Condition, RuleCheck, RuleIssue } from './rules/schema.js';
export { compileRule, evaluateRule } from './rules/predicate.js';
export type { Predicate } from './rules/predicate.js';
export { compileRuleSql } from './rules/sql.js';
export type { CompiledSql, SqlOptions } from './rules/sql.js';
export { DIALECTS, ansi, clickhouse, duckdb, postgres, sqlite } from './rules/dialect.js';
export type { SqlDialect } from './rules/dialect.js';
export { describeRule } from './rules/sentence.js';
export { overlapMatrix, resolvePrimary } from './segments/overlap.js';
export type { Membership, OverlapMatrix, PrimaryResolution } from './segments/overlap.js';
export { STARTER_SEGMENTS } from './segments/library.js';
export type { SegmentDefinition } from './segments/library.js';
export { kmeans, kmeansPlusPlus, standardize } from './clusters/kmeans.js';
export type { KMeansOptions, KMeansResult, Points, Standardized } from './clusters/kmeans.js';
export { elbow, silhouette } from './clusters/quality.js';
export { clusterProfiles } from './clusters/profile.js';
export type { ClusterProfile } from './clusters/profile.js';
export { explainRule } from './rules/explain.js';
export type { RuleExplanation } from './rules/explain.js';
export {
  DEFAULT_CLUSTER_FEATURES,
  DEFAULT_INSIGHT_CONFIG,
  insightConfig,
} from './insight/config.js';
export type { ClusterConfig, InsightConfig } from './insight/config.js';
export {
  SIZES,
  clusterValue,
  enterpriseSizeCode,
  lifecycleFrameOfInput,
  tagChunk,
} from './insight/chunk.js';
export type { ChunkTags } from './insight/chunk.js';
export {
  NO_SEGMENT,
  insightChunk,
  packInsightChunk,
  refreshInsight,
  refreshInsightChunks,
} from './insight/refresh.js';
export type { InsightChunk } from './insight/refresh.js';
export { insightRunFromTags } from './insight/assemble.js';
export type { ComputedTags, CustomerFacts } from './insight/assemble.js';
export { INSIGHT_DIMENSIONS, PARETO_CLASSES } from './insight/types.js';
export type {
  InsightAggregate,
  InsightDimension,
  InsightModel,
  InsightRun,
  RefreshInsightOptions,
  RfmCuts,
} from './insight/types.js';
export { customerExplainer, explainCustomer } from './insight/profile.js';
export type { CustomerProfile, ProfileTag } from './insight/profile.js';
export { clusteringLab } from './clusters/lab.js';
export type {
  ClusteringLabOptions,
  ClusteringLabResult,
  ClusteringLabRun,
} from './clusters/lab.js';
export {
  ElkanShard,
  elkanCentres,
  elkanShardState,
  localShards,
  runElkan,
} from './clusters/elkan.js';
export { WasmElkanShard, wasmAvailable } from './clusters/elkan-wasm.js';
export type {
  ElkanCentres,
  ElkanShardLike,
  ElkanShardState,
  ElkanShards,
} from './clusters/elkan.js';
export {
  COMPOUND_SURNAMES,
  maskAccount,
  maskIdNumber,
  maskName,
  maskPhone,
} from './privacy/mask.js';
export { CHANNELS, CHANNEL_LABELS, mayContact } from './contact/channels.js';
export type { Channel, ConsentStatus } from './contact/channels.js';

export {
  DEFAULT_CONTACT_POLICY,
  OBJECTIVES,
  STRATEGY_STATUSES,
  RESPONSIVENESS_MODEL,
  ScorerRegistry,
  defaultScorers,
  logisticModelSchema,
  logisticScorer,
  modelSelectionSchema,
  selectByModel,
  arbitrate,
  arbitrateEach,
  assignArm,
  audienceSchema,
  buildStrategyMap,
  canTransition,
  generateLists,
  hashText,
  nextContactTime,
  scheduleSchema,
  splitPosition,
  strategyDefinitionSchema,
  describeAudience,
} from './strategy/index.js';
export type {
  LogisticModel,
  LogisticModelInput,
  ModelSelection,
  Scorer,
  Selection,
  Arm,
  Claim,
  ClaimOutcome,
  Collision,
  MapCell,
  MapCellInput,
  MapStrategy,
  StrategyMap,
  StrategyMapOptions,
  ContactFacts,
  ContactPolicy,
  Decision,
  Excluded,
  ListEntry,
  ListRequest,
  ListSummary,
  Objective,
  StrategyDefinition,
  StrategyDefinitionInput,
  StrategyStatus,
} from './strategy/index.js';

export {
  compareProportions,
  differenceInDifferences,
  minimumDetectableEffect,
  normalCdf,
  normalQuantile,
  recommend,
  requiredAudience,
  studentTCdf,
  studentTQuantile,
  summarize,
  welchTTest,
} from './review/index.js';
export type {
  Conversions,
  DidEstimate,
  MeanComparison,
  PowerOptions,
  ProportionComparison,
  Recommendation,
  StratumChanges,
  Summary,
} from './review/index.js';

export { DEFAULT_BANK_SETTINGS, bankSettingsSchema, lifecycleConfigOf } from './settings/index.js';
export type { BankSettings, BankSettingsUpdate } from './settings/index.js';
export { compileTagsSql } from './pushdown/tags.js';
export type { PushdownConfig, PushdownOptions, TagsQuery } from './pushdown/tags.js';
