import { resolve } from 'node:path';
import { z } from 'zod';

const count = z.coerce.number().int().nonnegative();

/** The server's settings: the only place `process.env` is read. */
const schema = z.object({
  STRATA_HOST: z.string().min(1).default('127.0.0.1'),
  STRATA_PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /**
   * The SQLite file (created, migrated and seeded with the demo bank if absent), or a
   * `postgres://user:password@host:port/database` URL of an empty database (or one Strata made).
   */
  STRATA_DB: z.string().min(1).default('data/strata.db'),
  /** Seed the demo bank into an empty database at start. */
  STRATA_DEMO: z.enum(['true', 'false']).default('true'),
  STRATA_DEMO_SEED: count.default(20261122),
  STRATA_DEMO_RETAIL: count.default(100_000),
  STRATA_DEMO_CORPORATE: count.default(10_000),
  /** Origins allowed to call the API from the browser (embedded widgets), comma-separated, or '*'. */
  STRATA_EMBED_ORIGINS: z.string().default(''),
  /** Largest request body accepted, in bytes. */
  STRATA_MAX_BODY: count.default(1_048_576),
  /** Largest import file accepted at /api/imports, in bytes. */
  STRATA_MAX_IMPORT: count.default(2 * 1024 ** 3),
  /** Requests per client address per minute on the API (0: no limit). */
  STRATA_RATE_LIMIT: count.default(3000),
  /** A folder of model files (logistic models as JSON) strategies may name, besides the built-in ones. */
  STRATA_MODELS_DIR: z.string().default(''),
  /** From this many customers the server keeps every profile ready-made (0: any bank). */
  STRATA_READY_PROFILES_FROM: count.default(100_000),
  /** The log level: fatal, error, warn, info, debug, trace or silent. */
  STRATA_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
});

export type Env = {
  readonly host: string;
  readonly port: number;
  readonly dbPath: string;
  readonly demo: {
    readonly enabled: boolean;
    readonly seed: number;
    readonly retail: number;
    readonly corporate: number;
  };
  readonly embedOrigins: readonly string[] | '*';
  readonly maxBody: number;
  readonly maxImportBytes: number;
  readonly rateLimit: number;
  readonly logLevel: string;
  /** Customers from which profiles are kept ready-made. */
  readonly readyProfilesFrom: number;
  /** The model files' folder, or null. */
  readonly modelsDir: string | null;
};

/** Reads and validates the environment; a bad value stops the server with a message naming it. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid settings: ${problems}`);
  }
  const e = parsed.data;
  const origins = e.STRATA_EMBED_ORIGINS.trim();
  return {
    host: e.STRATA_HOST,
    port: e.STRATA_PORT,
    dbPath:
      e.STRATA_DB === ':memory:' || /^postgres(ql)?:\/\//i.test(e.STRATA_DB)
        ? e.STRATA_DB
        : resolve(e.STRATA_DB),
    demo: {
      enabled: e.STRATA_DEMO === 'true',
      seed: e.STRATA_DEMO_SEED,
      retail: e.STRATA_DEMO_RETAIL,
      corporate: e.STRATA_DEMO_CORPORATE,
    },
    embedOrigins:
      origins === '*'
        ? '*'
        : origins
            .split(',')
            .map((o) => o.trim())
            .filter(Boolean),
    maxBody: e.STRATA_MAX_BODY,
    maxImportBytes: e.STRATA_MAX_IMPORT,
    modelsDir: e.STRATA_MODELS_DIR.trim() === '' ? null : resolve(e.STRATA_MODELS_DIR.trim()),
    rateLimit: e.STRATA_RATE_LIMIT,
    logLevel: e.STRATA_LOG_LEVEL,
    readyProfilesFrom: e.STRATA_READY_PROFILES_FROM,
  };
}

/**
 * Tells the dashboard (loaded in this process) where the API listens, through its own
 * environment (SvelteKit's `$env/dynamic/private`). The one place the server writes `process.env`.
 */
export function publishApiOrigin(origin: string, internalKey: string): void {
  process.env.STRATA_API_ORIGIN = origin;
  // lets the API tell the dashboard's own server-side calls (which come from loopback) apart,
  // so they count against the browser's address, not one shared loopback one
  process.env.STRATA_INTERNAL_KEY = internalKey;
}
