-- CreateEnum
CREATE TYPE "ModelTask" AS ENUM ('classification', 'regression', 'other');

-- CreateEnum
CREATE TYPE "VersionStatus" AS ENUM ('active', 'archived');

-- CreateEnum
CREATE TYPE "ReleaseStatus" AS ENUM ('pending_approval', 'approved', 'deploying', 'live', 'rejected', 'cancelled', 'failed', 'rolled_back', 'superseded');

-- CreateEnum
CREATE TYPE "StrategyType" AS ENUM ('replace', 'canary', 'shadow');

-- CreateEnum
CREATE TYPE "ReleaseSlot" AS ENUM ('primary', 'secondary');

-- CreateEnum
CREATE TYPE "ApprovalDecision" AS ENUM ('approve', 'reject');

-- CreateTable
CREATE TABLE "models" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "task" "ModelTask" NOT NULL DEFAULT 'other',
    "team" TEXT,
    "tags" TEXT[],
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "lastVersion" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "models_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_versions" (
    "id" UUID NOT NULL,
    "modelId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "format" TEXT,
    "artifactUri" TEXT,
    "artifactSha256" TEXT,
    "artifactSize" BIGINT,
    "artifactKey" TEXT,
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "params" JSONB NOT NULL DEFAULT '{}',
    "gitCommit" TEXT,
    "dataset" TEXT,
    "features" JSONB NOT NULL DEFAULT '[]',
    "modelCard" TEXT NOT NULL DEFAULT '',
    "parentVersionId" UUID,
    "status" "VersionStatus" NOT NULL DEFAULT 'active',
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "environments" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "requiredApprovals" INTEGER NOT NULL DEFAULT 0,
    "requirePreviousEnvironment" BOOLEAN NOT NULL DEFAULT false,
    "soakGateEnabled" BOOLEAN NOT NULL DEFAULT false,
    "minSoakMinutes" INTEGER NOT NULL DEFAULT 0,
    "metricGates" JSONB NOT NULL DEFAULT '[]',
    "blockOnOpenDriftAlert" BOOLEAN NOT NULL DEFAULT true,
    "authorCannotApprove" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "environments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "releases" (
    "id" UUID NOT NULL,
    "modelId" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "strategy" "StrategyType" NOT NULL DEFAULT 'replace',
    "steps" INTEGER[],
    "note" TEXT NOT NULL DEFAULT '',
    "status" "ReleaseStatus" NOT NULL,
    "slot" "ReleaseSlot",
    "isRollback" BOOLEAN NOT NULL DEFAULT false,
    "requestedById" UUID NOT NULL,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "gates" JSONB NOT NULL DEFAULT '[]',
    "approvedAt" TIMESTAMPTZ(3),
    "liveAt" TIMESTAMPTZ(3),
    "endedAt" TIMESTAMPTZ(3),
    "replacedId" UUID,
    "statusReason" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "releases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approvals" (
    "id" UUID NOT NULL,
    "releaseId" UUID NOT NULL,
    "reviewerId" UUID NOT NULL,
    "decision" "ApprovalDecision" NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approvals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_endpoints" (
    "id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "events" TEXT[],
    "secret" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL,
    "endpointId" UUID NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastStatus" INTEGER,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAttemptAt" TIMESTAMPTZ(3),
    "deliveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "models_name_key" ON "models"("name");

-- CreateIndex
CREATE INDEX "models_team_idx" ON "models"("team");

-- CreateIndex
CREATE INDEX "models_tags_idx" ON "models" USING GIN ("tags");

-- CreateIndex
CREATE UNIQUE INDEX "model_versions_modelId_version_key" ON "model_versions"("modelId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "environments_name_key" ON "environments"("name");

-- CreateIndex
CREATE INDEX "environments_position_idx" ON "environments"("position");

-- CreateIndex
CREATE INDEX "releases_status_requestedAt_idx" ON "releases"("status", "requestedAt");

-- CreateIndex
CREATE INDEX "releases_modelId_environmentId_status_idx" ON "releases"("modelId", "environmentId", "status");

-- CreateIndex
CREATE INDEX "releases_versionId_idx" ON "releases"("versionId");

-- CreateIndex
CREATE UNIQUE INDEX "approvals_releaseId_reviewerId_key" ON "approvals"("releaseId", "reviewerId");

-- CreateIndex
CREATE INDEX "webhook_deliveries_endpointId_createdAt_idx" ON "webhook_deliveries"("endpointId", "createdAt");

-- AddForeignKey
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "models"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_parentVersionId_fkey" FOREIGN KEY ("parentVersionId") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "releases" ADD CONSTRAINT "releases_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "models"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "releases" ADD CONSTRAINT "releases_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "releases" ADD CONSTRAINT "releases_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "releases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- At most one live release per slot (the primary version, and one canary or shadow beside
-- it) for each model and environment, whatever the application does.
CREATE UNIQUE INDEX "releases_one_live_per_slot" ON "releases" ("modelId", "environmentId", "slot") WHERE "status" = 'live';

-- At most one open request per version and environment.
CREATE UNIQUE INDEX "releases_one_open_request" ON "releases" ("versionId", "environmentId")
  WHERE "status" IN ('pending_approval', 'approved', 'deploying');

-- Default environments: production needs one approval and the version live in staging;
-- soak and metric gates exist but start switched off.
INSERT INTO "environments" ("id", "name", "position", "description", "requiredApprovals", "requirePreviousEnvironment", "minSoakMinutes", "metricGates", "updatedAt")
VALUES
  (gen_random_uuid(), 'development', 1, 'Engineers deploy here freely.', 0, false, 0, '[]', now()),
  (gen_random_uuid(), 'staging', 2, 'Pre-production checks.', 0, false, 0, '[]', now()),
  (gen_random_uuid(), 'production', 3, 'Serves real traffic.', 1, true, 60, '[{"metric":"accuracy","comparator":">=","tolerance":0.01,"enabled":false}]', now());
