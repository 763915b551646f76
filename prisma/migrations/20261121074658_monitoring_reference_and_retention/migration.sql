-- AlterTable
ALTER TABLE "models" ADD COLUMN     "monitoringRetentionDays" INTEGER NOT NULL DEFAULT 90;

-- CreateTable
CREATE TABLE "monitoring_references" (
    "id" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "rows" INTEGER NOT NULL,
    "profiles" JSONB NOT NULL,
    "uploadedById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "monitoring_references_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "monitoring_references_versionId_key" ON "monitoring_references"("versionId");

-- AddForeignKey
ALTER TABLE "monitoring_references" ADD CONSTRAINT "monitoring_references_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
