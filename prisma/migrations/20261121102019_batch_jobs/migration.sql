-- CreateEnum
CREATE TYPE "BatchJobKind" AS ENUM ('batch', 'one_off');

-- CreateEnum
CREATE TYPE "BatchJobStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "BatchFormat" AS ENUM ('csv', 'ndjson');

-- CreateTable
CREATE TABLE "batch_jobs" (
    "id" UUID NOT NULL,
    "kind" "BatchJobKind" NOT NULL DEFAULT 'batch',
    "versionId" UUID NOT NULL,
    "status" "BatchJobStatus" NOT NULL DEFAULT 'queued',
    "format" "BatchFormat" NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'upload',
    "inputKey" TEXT NOT NULL,
    "outputKey" TEXT NOT NULL,
    "inputSha256" TEXT NOT NULL,
    "inputBytes" BIGINT NOT NULL,
    "environment" TEXT,
    "labelColumn" TEXT,
    "scheduleId" UUID,
    "rowsTotal" INTEGER NOT NULL,
    "rowsDone" INTEGER NOT NULL DEFAULT 0,
    "rowsFailed" INTEGER NOT NULL DEFAULT 0,
    "chunksDone" INTEGER NOT NULL DEFAULT 0,
    "inputOffset" BIGINT NOT NULL DEFAULT 0,
    "outputBytes" BIGINT NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "metrics" JSONB,
    "failureReason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdById" UUID,
    "createdByEmail" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "batch_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "batch_schedules" (
    "id" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "cron" TEXT NOT NULL,
    "inputUri" TEXT NOT NULL,
    "format" "BatchFormat" NOT NULL,
    "environment" TEXT,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastTickAt" TIMESTAMPTZ(3),
    "lastJobId" UUID,
    "lastError" TEXT,

    CONSTRAINT "batch_schedules_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "batch_jobs_versionId_kind_createdAt_idx" ON "batch_jobs"("versionId", "kind", "createdAt");

-- CreateIndex
CREATE INDEX "batch_jobs_status_idx" ON "batch_jobs"("status");

-- CreateIndex
CREATE INDEX "batch_schedules_versionId_idx" ON "batch_schedules"("versionId");

-- AddForeignKey
ALTER TABLE "batch_jobs" ADD CONSTRAINT "batch_jobs_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "batch_jobs" ADD CONSTRAINT "batch_jobs_scheduleId_fkey" FOREIGN KEY ("scheduleId") REFERENCES "batch_schedules"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "batch_schedules" ADD CONSTRAINT "batch_schedules_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A finished one-off run is a record: nothing may change or remove it afterwards.
CREATE FUNCTION batch_jobs_refuse_finished_run_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."kind" = 'one_off' AND OLD."status" IN ('succeeded', 'failed', 'cancelled') THEN
    RAISE EXCEPTION 'one-off run % is finished and immutable: % is not allowed', OLD."id", TG_OP
      USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER batch_jobs_finished_run_immutable
  BEFORE UPDATE OR DELETE ON "batch_jobs"
  FOR EACH ROW EXECUTE FUNCTION batch_jobs_refuse_finished_run_change();
