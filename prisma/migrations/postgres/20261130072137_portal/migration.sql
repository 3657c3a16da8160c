-- AlterTable
ALTER TABLE "AwsAccount" ADD COLUMN     "color" TEXT,
ADD COLUMN     "confirmOpen" BOOLEAN,
ADD COLUMN     "environment" TEXT,
ADD COLUMN     "environmentTagKey" TEXT;

-- CreateTable
CREATE TABLE "Favourite" (
    "userId" TEXT NOT NULL,
    "roleArn" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Favourite_pkey" PRIMARY KEY ("userId","roleArn")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Favourite_userId_position_idx" ON "Favourite"("userId", "position");

-- CreateIndex
CREATE INDEX "AuditEvent_userId_type_at_idx" ON "AuditEvent"("userId", "type", "at");

-- AddForeignKey
ALTER TABLE "Favourite" ADD CONSTRAINT "Favourite_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

