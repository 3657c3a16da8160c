-- CreateTable
CREATE TABLE "AccessRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "mappingId" TEXT,
    "accountId" TEXT NOT NULL,
    "roleArn" TEXT NOT NULL,
    "roleName" TEXT NOT NULL,
    "reason" TEXT,
    "ticket" TEXT,
    "durationSeconds" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "breakGlass" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatedAt" DATETIME,
    "expiresAt" DATETIME,
    "decidedAt" DATETIME,
    "decidedBy" TEXT,
    "decisionComment" TEXT,
    "reviewedAt" DATETIME,
    "reviewedBy" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT "AccessRequest_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AccessRequest_mappingId_fkey" FOREIGN KEY ("mappingId") REFERENCES "RoleMapping" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AccessApproval" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "requestId" TEXT NOT NULL,
    "approverId" TEXT NOT NULL,
    "approverName" TEXT NOT NULL,
    "comment" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AccessApproval_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "AccessRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RoleMapping" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT,
    "accountId" TEXT,
    "group" TEXT,
    "groupPattern" TEXT,
    "roleArn" TEXT NOT NULL,
    "label" TEXT,
    "sessionDuration" INTEGER NOT NULL DEFAULT 3600,
    "access" TEXT NOT NULL DEFAULT 'standing',
    "approvers" TEXT NOT NULL DEFAULT '[]',
    "approvalsRequired" INTEGER NOT NULL DEFAULT 1,
    "maxDuration" INTEGER NOT NULL DEFAULT 3600,
    "requireReason" BOOLEAN NOT NULL DEFAULT true,
    "requireTicket" TEXT,
    "breakGlass" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RoleMapping_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "IdpConnection" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RoleMapping_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "AwsAccount" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RoleMapping" ("accountId", "connectionId", "createdAt", "group", "groupPattern", "id", "label", "roleArn", "sessionDuration", "updatedAt", "version") SELECT "accountId", "connectionId", "createdAt", "group", "groupPattern", "id", "label", "roleArn", "sessionDuration", "updatedAt", "version" FROM "RoleMapping";
DROP TABLE "RoleMapping";
ALTER TABLE "new_RoleMapping" RENAME TO "RoleMapping";
CREATE INDEX "RoleMapping_group_idx" ON "RoleMapping"("group");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "AccessRequest_userId_state_idx" ON "AccessRequest"("userId", "state");

-- CreateIndex
CREATE INDEX "AccessRequest_state_createdAt_idx" ON "AccessRequest"("state", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AccessApproval_requestId_approverId_key" ON "AccessApproval"("requestId", "approverId");

