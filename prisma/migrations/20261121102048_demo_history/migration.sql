-- CreateEnum
CREATE TYPE "DemoHistoryStatus" AS ENUM ('queued', 'running', 'done', 'failed');

-- CreateTable
CREATE TABLE "demo_history" (
    "id" TEXT NOT NULL,
    "status" "DemoHistoryStatus" NOT NULL DEFAULT 'queued',
    "days" INTEGER NOT NULL,
    "daysDone" INTEGER NOT NULL DEFAULT 0,
    "predictions" INTEGER NOT NULL DEFAULT 0,
    "labels" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "demo_history_pkey" PRIMARY KEY ("id")
);
