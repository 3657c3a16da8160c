-- AlterTable
ALTER TABLE "AwsAccount" ADD COLUMN     "regions" TEXT NOT NULL DEFAULT '[]';

