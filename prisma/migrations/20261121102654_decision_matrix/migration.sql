-- CreateEnum
CREATE TYPE "LoadProbeStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "unit_prices" (
    "id" TEXT NOT NULL DEFAULT 'default',
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "cpuHour" DOUBLE PRECISION NOT NULL,
    "gbMonth" DOUBLE PRECISION NOT NULL,
    "perMillionRequests" DOUBLE PRECISION NOT NULL,
    "updatedById" UUID,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "unit_prices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "load_probes" (
    "id" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "option" TEXT NOT NULL,
    "environment" TEXT,
    "status" "LoadProbeStatus" NOT NULL DEFAULT 'queued',
    "targetP95Ms" DOUBLE PRECISION NOT NULL,
    "startRate" INTEGER NOT NULL,
    "rateStep" INTEGER NOT NULL,
    "maxRate" INTEGER NOT NULL,
    "stepSeconds" INTEGER NOT NULL,
    "steps" JSONB NOT NULL DEFAULT '[]',
    "stopReason" TEXT,
    "error" TEXT,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "load_probes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "load_probes_versionId_option_createdAt_idx" ON "load_probes"("versionId", "option", "createdAt");

-- AddForeignKey
ALTER TABLE "load_probes" ADD CONSTRAINT "load_probes_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
