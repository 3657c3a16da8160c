import { defineConfig } from "prisma/config";

// Prisma 7 reads this for `prisma generate`. Migrations are applied by lib/db/migrate.ts
// (see README, "Database"), not by the Prisma CLI, which needs a native engine to migrate.
export default defineConfig({
  schema: "prisma/schema.prisma",
});
