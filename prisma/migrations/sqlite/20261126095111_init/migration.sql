-- CreateTable
CREATE TABLE "IdpConnection" (
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
    "clockSkewSeconds" INTEGER NOT NULL DEFAULT 180,
    "maxAssertionAgeSeconds" INTEGER NOT NULL DEFAULT 300,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "IdpCertificate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "pem" TEXT NOT NULL,
    "fingerprintSha256" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "notAfter" DATETIME NOT NULL,
    "lastUsedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "IdpCertificate_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "IdpConnection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "nameId" TEXT NOT NULL,
    "nameIdFormat" TEXT,
    "email" TEXT,
    "displayName" TEXT,
    "groups" TEXT NOT NULL DEFAULT '[]',
    "firstSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "User_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "IdpConnection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AwsAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "alias" TEXT NOT NULL,
    "partition" TEXT NOT NULL DEFAULT 'aws',
    "samlProviderArn" TEXT NOT NULL,
    "defaultRegion" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RoleMapping" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT,
    "accountId" TEXT,
    "group" TEXT,
    "groupPattern" TEXT,
    "roleArn" TEXT NOT NULL,
    "label" TEXT,
    "sessionDuration" INTEGER NOT NULL DEFAULT 3600,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RoleMapping_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "IdpConnection" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RoleMapping_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "AwsAccount" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SigningKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "purpose" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "certificatePem" TEXT NOT NULL,
    "privateKeyEnc" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "PendingAuthnRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "target" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SeenAssertion" (
    "connectionId" TEXT NOT NULL,
    "assertionId" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,

    PRIMARY KEY ("connectionId", "assertionId")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "referenceId" TEXT,
    "connectionId" TEXT,
    "nameId" TEXT,
    "userId" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "reason" TEXT,
    "details" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "IdpConnection_entityId_key" ON "IdpConnection"("entityId");

-- CreateIndex
CREATE UNIQUE INDEX "IdpCertificate_connectionId_fingerprintSha256_key" ON "IdpCertificate"("connectionId", "fingerprintSha256");

-- CreateIndex
CREATE UNIQUE INDEX "User_connectionId_nameId_key" ON "User"("connectionId", "nameId");

-- CreateIndex
CREATE UNIQUE INDEX "AwsAccount_alias_key" ON "AwsAccount"("alias");

-- CreateIndex
CREATE INDEX "RoleMapping_group_idx" ON "RoleMapping"("group");

-- CreateIndex
CREATE INDEX "SigningKey_purpose_status_idx" ON "SigningKey"("purpose", "status");

-- CreateIndex
CREATE INDEX "PendingAuthnRequest_expiresAt_idx" ON "PendingAuthnRequest"("expiresAt");

-- CreateIndex
CREATE INDEX "SeenAssertion_expiresAt_idx" ON "SeenAssertion"("expiresAt");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "AuditEvent_type_at_idx" ON "AuditEvent"("type", "at");

