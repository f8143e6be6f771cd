import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQL migrations from api/db/schema.ts; they are applied at start-up.
export default defineConfig({
  dialect: 'postgresql',
  schema: './api/db/schema.ts',
  out: './api/db/migrations',
  extensionsFilters: ['postgis'],
});
