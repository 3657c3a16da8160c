-- AlterTable
ALTER TABLE "RoleMapping" ADD COLUMN     "access" TEXT NOT NULL DEFAULT 'standing',
ADD COLUMN     "approvalsRequired" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "approvers" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "breakGlass" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "maxDuration" INTEGER NOT NULL DEFAULT 3600,
ADD COLUMN     "requireReason" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "requireTicket" TEXT;

-- CreateTable
CREATE TABLE "AccessRequest" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "decidedAt" TIMESTAMP(3),
    "decidedBy" TEXT,
    "decisionComment" TEXT,
    "reviewedAt" TIMESTAMP(3),
    "reviewedBy" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "AccessRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessApproval" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "approverId" TEXT NOT NULL,
    "approverName" TEXT NOT NULL,
    "comment" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessApproval_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AccessRequest_userId_state_idx" ON "AccessRequest"("userId", "state");

-- CreateIndex
CREATE INDEX "AccessRequest_state_createdAt_idx" ON "AccessRequest"("state", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AccessApproval_requestId_approverId_key" ON "AccessApproval"("requestId", "approverId");

-- AddForeignKey
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_mappingId_fkey" FOREIGN KEY ("mappingId") REFERENCES "RoleMapping"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessApproval" ADD CONSTRAINT "AccessApproval_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "AccessRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

