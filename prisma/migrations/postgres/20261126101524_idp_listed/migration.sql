-- AlterTable
ALTER TABLE "IdpConnection" ADD COLUMN     "listed" BOOLEAN NOT NULL DEFAULT true;

