-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "groups" TEXT NOT NULL DEFAULT '[]',
    "sessionTags" TEXT,
    "issuedAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "activatedAt" DATETIME,
    "revokedAt" DATETIME,
    "revokedReason" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Session_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "IdpConnection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_IdpConnection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "ssoRedirectUrl" TEXT,
    "ssoPostUrl" TEXT,
    "sloUrl" TEXT,
    "metadataXml" TEXT,
    "metadataUrl" TEXT,
    "metadataRefreshedAt" DATETIME,
    "metadataRefreshError" TEXT,
    "signAuthnRequests" BOOLEAN NOT NULL DEFAULT false,
    "signaturePolicy" TEXT NOT NULL DEFAULT 'assertion',
    "allowSha1" BOOLEAN NOT NULL DEFAULT false,
    "allowIdpInitiated" BOOLEAN NOT NULL DEFAULT true,
    "groupsAttribute" TEXT,
    "emailAttribute" TEXT,
    "displayNameAttribute" TEXT,
    "nameIdFormat" TEXT,
    "sessionTags" TEXT,
    "clockSkewSeconds" INTEGER NOT NULL DEFAULT 180,
    "maxAssertionAgeSeconds" INTEGER NOT NULL DEFAULT 300,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "listed" BOOLEAN NOT NULL DEFAULT true,
    "emailDomains" TEXT,
    "primary" BOOLEAN NOT NULL DEFAULT false,
    "allowCbcEncryption" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_IdpConnection" ("allowIdpInitiated", "allowSha1", "clockSkewSeconds", "createdAt", "displayNameAttribute", "emailAttribute", "enabled", "entityId", "groupsAttribute", "id", "listed", "maxAssertionAgeSeconds", "metadataRefreshError", "metadataRefreshedAt", "metadataUrl", "metadataXml", "name", "nameIdFormat", "sessionTags", "signAuthnRequests", "signaturePolicy", "sloUrl", "ssoPostUrl", "ssoRedirectUrl", "updatedAt", "version") SELECT "allowIdpInitiated", "allowSha1", "clockSkewSeconds", "createdAt", "displayNameAttribute", "emailAttribute", "enabled", "entityId", "groupsAttribute", "id", "listed", "maxAssertionAgeSeconds", "metadataRefreshError", "metadataRefreshedAt", "metadataUrl", "metadataXml", "name", "nameIdFormat", "sessionTags", "signAuthnRequests", "signaturePolicy", "sloUrl", "ssoPostUrl", "ssoRedirectUrl", "updatedAt", "version" FROM "IdpConnection";
DROP TABLE "IdpConnection";
ALTER TABLE "new_IdpConnection" RENAME TO "IdpConnection";
CREATE UNIQUE INDEX "IdpConnection_entityId_key" ON "IdpConnection"("entityId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "Session_connectionId_idx" ON "Session"("connectionId");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

