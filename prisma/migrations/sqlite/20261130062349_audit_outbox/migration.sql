-- CreateTable
CREATE TABLE "AuditOutbox" (
    "sequence" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "eventId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "AuditSink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "settings" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cursor" INTEGER NOT NULL DEFAULT 0,
    "leaseHolder" TEXT,
    "leaseExpiresAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "lastError" TEXT,
    "lastErrorAt" DATETIME,
    "lastDeliveredAt" DATETIME,
    "failedFrom" INTEGER,
    "failedTo" INTEGER,
    "failedAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditOutbox_eventId_key" ON "AuditOutbox"("eventId");

