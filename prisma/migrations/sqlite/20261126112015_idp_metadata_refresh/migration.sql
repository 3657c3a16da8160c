-- AlterTable
ALTER TABLE "IdpConnection" ADD COLUMN "metadataRefreshError" TEXT;
ALTER TABLE "IdpConnection" ADD COLUMN "metadataRefreshedAt" DATETIME;

-- AlterTable
ALTER TABLE "IdpCertificate" ADD COLUMN "retiredAt" DATETIME;

