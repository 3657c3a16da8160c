-- CreateTable
CREATE TABLE "AdminGroup" (
    "group" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdminGroup_pkey" PRIMARY KEY ("group")
);

