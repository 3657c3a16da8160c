-- AlterTable
ALTER TABLE "IdpConnection" ADD COLUMN     "sessionTags" TEXT;

