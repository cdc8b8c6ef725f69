export {
  CsvReader,
  MAX_FIELD_LENGTH,
  MAX_RECORD_LENGTH,
  csvCell,
  detectDelimiter,
  readCsv,
} from './csv.js';
export type { CsvDialect, CsvRecord } from './csv.js';
export { DATE_FORMATS, detectDateFormat, parseDate, parsePeriod } from './dates.js';
export type { DateFormat } from './dates.js';
export { IMPORT_FIELDS, IMPORT_KINDS } from './catalogue.js';
export type { FieldSpec, FieldType, ImportKind, IssueCategory } from './catalogue.js';
export { REFUSED, compileField, convertValue, rowSchema } from './fields.js';
export type { CheckContext } from './fields.js';
export { JsonReader } from './json.js';
export {
  failInterruptedImports,
  getImportReport,
  getImportRun,
  listImportRuns,
} from './history.js';
export { getSavedMapping, listSavedMappings, saveMapping } from './mappings.js';
export type { SavedMapping } from './mappings.js';
export { ImportError, importFile, resolveMapping } from './run.js';
export type {
  ColumnMapping,
  ImportProgress,
  ImportReport,
  ImportRequest,
  ReadOptions,
  RowIssue,
} from './run.js';
export { ENCODINGS, EncodingError, StrictDecoder, detectEncoding } from './text.js';
export type { Encoding } from './text.js';
