-- AlterTable
ALTER TABLE "IdpConnection" ADD COLUMN     "metadataRefreshError" TEXT,
ADD COLUMN     "metadataRefreshedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "IdpCertificate" ADD COLUMN     "retiredAt" TIMESTAMP(3);

