-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AdminGroup" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "group" TEXT NOT NULL,
    "connectionId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AdminGroup_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "IdpConnection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_AdminGroup" ("createdAt", "group") SELECT "createdAt", "group" FROM "AdminGroup";
DROP TABLE "AdminGroup";
ALTER TABLE "new_AdminGroup" RENAME TO "AdminGroup";
CREATE UNIQUE INDEX "AdminGroup_group_connectionId_key" ON "AdminGroup"("group", "connectionId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

