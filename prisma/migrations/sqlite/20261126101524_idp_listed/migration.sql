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
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_IdpConnection" ("allowIdpInitiated", "allowSha1", "clockSkewSeconds", "createdAt", "displayNameAttribute", "emailAttribute", "enabled", "entityId", "groupsAttribute", "id", "maxAssertionAgeSeconds", "metadataUrl", "metadataXml", "name", "nameIdFormat", "sessionTags", "signAuthnRequests", "signaturePolicy", "sloUrl", "ssoPostUrl", "ssoRedirectUrl", "updatedAt", "version") SELECT "allowIdpInitiated", "allowSha1", "clockSkewSeconds", "createdAt", "displayNameAttribute", "emailAttribute", "enabled", "entityId", "groupsAttribute", "id", "maxAssertionAgeSeconds", "metadataUrl", "metadataXml", "name", "nameIdFormat", "sessionTags", "signAuthnRequests", "signaturePolicy", "sloUrl", "ssoPostUrl", "ssoRedirectUrl", "updatedAt", "version" FROM "IdpConnection";
DROP TABLE "IdpConnection";
ALTER TABLE "new_IdpConnection" RENAME TO "IdpConnection";
CREATE UNIQUE INDEX "IdpConnection_entityId_key" ON "IdpConnection"("entityId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

