-- CreateTable
CREATE TABLE "AuditOutbox" (
    "sequence" SERIAL NOT NULL,
    "eventId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" TEXT NOT NULL,

    CONSTRAINT "AuditOutbox_pkey" PRIMARY KEY ("sequence")
);

-- CreateTable
CREATE TABLE "AuditSink" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "settings" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cursor" INTEGER NOT NULL DEFAULT 0,
    "leaseHolder" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMP(3),
    "lastDeliveredAt" TIMESTAMP(3),
    "failedFrom" INTEGER,
    "failedTo" INTEGER,
    "failedAt" TIMESTAMP(3),

    CONSTRAINT "AuditSink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditOutbox_eventId_key" ON "AuditOutbox"("eventId");

