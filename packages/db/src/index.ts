export { openDatabase, migrationsFolder } from './client.js';
export type { OpenOptions } from './client.js';
export type { StrataDb } from './types.js';
export { PostgresConnection, PostgresError } from './pg/connection.js';
export { ruleDialect } from './dialect.js';
export { loadLifecycleFrame, runLifecycleRefresh } from './lifecycle-refresh.js';
export type { LoadedFrame, RefreshOptions, RefreshResult } from './lifecycle-refresh.js';
export { getOrgUnit, listOrgUnits } from './queries/org.js';
export type { OrgUnitRow } from './queries/org.js';
export {
  getLatestLifecycleRun,
  getLifecycleFunnel,
  getLifecycleMigration,
} from './queries/lifecycle.js';
export type {
  FunnelCountRow,
  LifecycleFilter,
  LifecycleRunRow,
  MigrationCountRow,
} from './queries/lifecycle.js';
export { loadFeatureInput } from './features.js';
export {
  getSegmentByKey,
  getSegmentPreview,
  insertSegment,
  insertStarterSegments,
  listSegments,
  updateSegment,
} from './queries/segments.js';
export type {
  NewSegment,
  SegmentPreview,
  SegmentRow,
  SegmentSampleRow,
} from './queries/segments.js';
export { loadFeatureInputs, loadPeriods } from './features.js';
export type { LoadFeatureOptions } from './features.js';
export {
  beginInsightRun,
  completeInsightRun,
  failInsightRun,
  getLatestInsightRun,
  getSegmentMembers,
  loadCustomerFacts,
  refreshPeriod,
  listInsightRuns,
  defaultInsightConfig,
  runInsightRefresh,
  savedSegmentDefinitions,
  READY_PROFILES_FROM,
} from './insight-refresh.js';
export type {
  InsightRefreshOptions,
  InsightRefreshResult,
  InsightRunRow,
  InsightStep,
  InsightSummary,
} from './insight-refresh.js';
export { getCustomerProfile, getInsightMatrix } from './queries/insight.js';
export { makeReadyProfiles, readyProfilesUnderWay } from './ready-profiles.js';
export type { ReadyProfilesOptions, ReadyProfilesResult } from './ready-profiles.js';
export type { CustomerProfileView, InsightCellRow, StoredTags } from './queries/insight.js';
export {
  blockSize,
  bumpDataVersion,
  currentBlocks,
  dataVersion,
  rebuildMetricBlocks,
} from './metric-blocks.js';
export { GENESIS, appendAudit, verifyAuditLog } from './audit.js';
export type { AuditEntry, AuditRow, AuditVerification } from './audit.js';
export {
  LoginLimiter,
  authenticate,
  countUsers,
  createServiceToken,
  createSession,
  createUser,
  endSession,
  getUser,
  hashPassword,
  listUsers,
  setUserDisabled,
  readServiceToken,
  readSession,
  revokeServiceToken,
  verifyPassword,
} from './auth.js';
export type { NewUser, ServiceTokenRow, UserRow } from './auth.js';
export { contactableCustomers, getConsents, setConsent } from './consent.js';
export type { ConsentRow } from './consent.js';
export {
  REVEALABLE,
  corporateDeposits,
  customerListEntries,
  getCustomerCard,
  isWithinOrgUnit,
  revealCustomerField,
  scopeCondition,
  scopeRoot,
  searchCustomers,
} from './queries/customers.js';
export type {
  CustomerCard,
  CustomerSearch,
  DepositStructure,
  CustomerSearchRow,
  RevealableField,
  Scope,
} from './queries/customers.js';
export * from './import/index.js';
export {
  StrategyError,
  createStrategy,
  getStrategy,
  listStrategies,
  listStrategyVersions,
  setStrategyStatus,
  updateStrategy,
} from './strategies.js';
export type { StrategyRow } from './strategies.js';
export { audienceMembers } from './audiences.js';
export { generateStrategyLists, previewStrategyLists } from './lists.js';
export type { ListPreview, ListRequestOptions } from './lists.js';
export { getList, getListEntries, listLists } from './queries/lists.js';
export type { ListModel, ListRow } from './queries/lists.js';
export {
  campaignCodeOf,
  lastRefusals,
  linkCampaignOutcomes,
  recordOutcomes,
  strategyBoard,
} from './outcomes.js';
export type { BoardRow, OutcomeInput, OutcomeLinks } from './outcomes.js';
export { mapCellResults } from './map-results.js';
export type { MapCellResult } from './map-results.js';
export { reviewStrategy } from './review.js';
export type { ArmResult, CellReview, MetricChange, PartReview, VersionReview } from './review.js';
export { ingestEvent, listTasks } from './tasks.js';
export type { EventInput, IngestResult } from './tasks.js';
export {
  createEmbedKey,
  embedKeyFor,
  embedOrigins,
  listEmbedKeys,
  normaliseOrigin,
  revokeEmbedKey,
  rotateEmbedKey,
} from './embed.js';
export type { EmbedKeyInfo, EmbedKeyMaterial } from './embed.js';
export { ACTION_RESULTS, nextActions, recordAction } from './actions.js';
export type { ActionResult, NextAction } from './actions.js';
export { SettingsError, getBankSettings, updateBankSettings } from './settings.js';
export { BackupError, backupDatabase, restoreDatabase } from './backup.js';
export type { BackupReport } from './backup.js';
export { failInterruptedRuns } from './interrupted.js';
export { bumpResultsVersion, rememberResults, resultsVersion } from './results-cache.js';
export { warmColumns } from './columns-cache.js';
export { audienceOverlaps } from './collisions.js';
