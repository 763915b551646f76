-- CreateTable
CREATE TABLE "alert_channels" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "sealedSecret" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alert_channels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_rules" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "modelId" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "versionId" UUID,
    "signal" JSONB NOT NULL,
    "comparator" TEXT NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "windowMinutes" INTEGER NOT NULL,
    "minSamples" INTEGER NOT NULL,
    "severity" TEXT NOT NULL,
    "channelIds" UUID[],
    "actions" TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "snoozedUntil" TIMESTAMPTZ(3),
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alert_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" UUID NOT NULL,
    "ruleId" UUID NOT NULL,
    "seriesKey" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'firing',
    "severity" TEXT NOT NULL,
    "modelId" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "samples" INTEGER NOT NULL,
    "firedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastEvaluatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "clearSince" TIMESTAMPTZ(3),
    "acknowledgedAt" TIMESTAMPTZ(3),
    "acknowledgedById" UUID,
    "resolvedAt" TIMESTAMPTZ(3),
    "resolvedById" UUID,
    "resolvedReason" TEXT,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_events" (
    "id" UUID NOT NULL,
    "alertId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" UUID,
    "comment" TEXT,
    "detail" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "alert_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_notifications" (
    "id" UUID NOT NULL,
    "alertId" UUID,
    "channelId" UUID NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAttemptAt" TIMESTAMPTZ(3),
    "deliveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "alert_notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "alert_channels_name_key" ON "alert_channels"("name");

-- CreateIndex
CREATE INDEX "alert_rules_modelId_idx" ON "alert_rules"("modelId");

-- CreateIndex
CREATE INDEX "alerts_status_firedAt_idx" ON "alerts"("status", "firedAt");

-- CreateIndex
CREATE INDEX "alerts_modelId_status_idx" ON "alerts"("modelId", "status");

-- CreateIndex
CREATE INDEX "alert_events_alertId_at_idx" ON "alert_events"("alertId", "at");

-- CreateIndex
CREATE INDEX "alert_notifications_channelId_createdAt_idx" ON "alert_notifications"("channelId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "alert_notifications_alertId_channelId_event_key" ON "alert_notifications"("alertId", "channelId", "event");

-- AddForeignKey
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "models"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "alert_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_notifications" ADD CONSTRAINT "alert_notifications_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_notifications" ADD CONSTRAINT "alert_notifications_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "alert_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One open alert per rule and series: re-evaluations update it, a concurrent evaluation cannot add a second.
CREATE UNIQUE INDEX "alerts_one_open_per_series" ON "alerts"("ruleId", "seriesKey") WHERE "status" IN ('firing', 'acknowledged');
