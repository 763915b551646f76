-- AlterTable
ALTER TABLE "releases" ADD COLUMN     "rollout" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "environment_backends" (
    "environmentId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "secretSealed" TEXT,
    "canaryIntervalSeconds" INTEGER NOT NULL DEFAULT 60,
    "canaryMaxErrorRateIncrease" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "canaryMaxLatencyRatio" DOUBLE PRECISION NOT NULL DEFAULT 1.5,
    "canaryMinRequests" INTEGER NOT NULL DEFAULT 20,
    "updatedById" UUID,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "environment_backends_pkey" PRIMARY KEY ("environmentId")
);

-- AddForeignKey
ALTER TABLE "environment_backends" ADD CONSTRAINT "environment_backends_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
