import { defineConfig } from 'drizzle-kit';

// `pnpm db:generate` writes a new migration into ./migrations after a schema change.
// Migrations are committed; the server applies them at start.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/schema/index.ts',
  out: './migrations',
});
