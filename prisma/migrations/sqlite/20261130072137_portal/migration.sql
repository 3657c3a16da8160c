-- AlterTable
ALTER TABLE "AwsAccount" ADD COLUMN "color" TEXT;
ALTER TABLE "AwsAccount" ADD COLUMN "confirmOpen" BOOLEAN;
ALTER TABLE "AwsAccount" ADD COLUMN "environment" TEXT;
ALTER TABLE "AwsAccount" ADD COLUMN "environmentTagKey" TEXT;

-- CreateTable
CREATE TABLE "Favourite" (
    "userId" TEXT NOT NULL,
    "roleArn" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("userId", "roleArn"),
    CONSTRAINT "Favourite_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Favourite_userId_position_idx" ON "Favourite"("userId", "position");

-- CreateIndex
CREATE INDEX "AuditEvent_userId_type_at_idx" ON "AuditEvent"("userId", "type", "at");

