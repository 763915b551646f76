-- AlterTable
ALTER TABLE "environments" ADD COLUMN     "retrainingSecretSealed" TEXT,
ADD COLUMN     "retrainingWebhookUrl" TEXT;

-- CreateTable
CREATE TABLE "retraining_requests" (
    "id" UUID NOT NULL,
    "modelId" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "versionId" UUID,
    "alertId" UUID,
    "status" TEXT NOT NULL DEFAULT 'requested',
    "payload" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMPTZ(3),
    "acknowledgedAt" TIMESTAMPTZ(3),
    "pipelineRunId" TEXT,
    "completedAt" TIMESTAMPTZ(3),
    "completedVersionId" UUID,
    "requestedById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "retraining_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "retraining_requests_alertId_key" ON "retraining_requests"("alertId");

-- CreateIndex
CREATE INDEX "retraining_requests_modelId_createdAt_idx" ON "retraining_requests"("modelId", "createdAt");

-- AddForeignKey
ALTER TABLE "retraining_requests" ADD CONSTRAINT "retraining_requests_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "retraining_requests" ADD CONSTRAINT "retraining_requests_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "alerts"("id") ON DELETE SET NULL ON UPDATE CASCADE;
