-- AlterTable
ALTER TABLE "AdminGroup" DROP CONSTRAINT "AdminGroup_pkey",
ADD COLUMN     "connectionId" TEXT,
ADD COLUMN     "id" SERIAL NOT NULL,
ADD CONSTRAINT "AdminGroup_pkey" PRIMARY KEY ("id");

-- CreateIndex
CREATE UNIQUE INDEX "AdminGroup_group_connectionId_key" ON "AdminGroup"("group", "connectionId");

-- AddForeignKey
ALTER TABLE "AdminGroup" ADD CONSTRAINT "AdminGroup_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "IdpConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

