-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AwsAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "alias" TEXT NOT NULL,
    "partition" TEXT NOT NULL DEFAULT 'aws',
    "samlProviderArn" TEXT NOT NULL,
    "defaultRegion" TEXT,
    "regions" TEXT NOT NULL DEFAULT '[]',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_AwsAccount" ("alias", "createdAt", "defaultRegion", "id", "partition", "samlProviderArn", "updatedAt", "version") SELECT "alias", "createdAt", "defaultRegion", "id", "partition", "samlProviderArn", "updatedAt", "version" FROM "AwsAccount";
DROP TABLE "AwsAccount";
ALTER TABLE "new_AwsAccount" RENAME TO "AwsAccount";
CREATE UNIQUE INDEX "AwsAccount_alias_key" ON "AwsAccount"("alias");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

