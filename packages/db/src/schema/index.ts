export { meta, orgUnits, relationshipManagers } from './org.js';
export { customers, events, metricBlocks, monthlyMetrics } from './customers.js';
export {
  lifecycleFunnelAgg,
  lifecycleMigrationAgg,
  lifecycleRuns,
  lifecycleStages,
} from './lifecycle.js';
export { segments } from './segments.js';
export {
  insightAgg,
  insightCustomers,
  insightProfileSets,
  insightProfiles,
  insightRuns,
  insightSegmentMembers,
} from './insight.js';
export { auditLog } from './audit.js';
export { ROLES, serviceTokens, sessions, users } from './auth.js';
export type { Role } from './auth.js';
export { customerConsents } from './consent.js';
export { campaignOutcomes, importMappings, importRuns } from './imports.js';
export { strategies, strategyVersions } from './strategies.js';
export { listEntries, strategyLists } from './lists.js';
export { listOutcomes } from './outcomes.js';
export { rmTasks } from './tasks.js';
export { embedKeys } from './embed.js';
export { bankSettings } from './settings.js';
