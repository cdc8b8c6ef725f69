export { createDemoBank, DEFAULT_DEMO_OPTIONS } from './bank.js';
export { consentsOf } from './consents.js';
export type { DemoConsent } from './consents.js';
export type { DemoBank, DemoBankOptions } from './bank.js';
export { featureInputChunks, featureInputOfRecords, lifecycleFrameOf } from './frame.js';
export { isValidResidentId, isValidSocialCreditCode } from './ids.js';
export { EVENT_TYPES } from './types.js';
export type {
  BankEvent,
  Customer,
  CustomerRecord,
  EventType,
  InstitutionType,
  LifeStage,
  MonthlyMetrics,
  OrgUnit,
  RelationshipManager,
} from './types.js';
