-- Daily rollups: the hourly rollups' cells summed per UTC day, kept by the same statements
-- (every batch's deltas are upserted into both tables in one transaction), so a day row always
-- equals the sum of its 24 hour rows. Charts with daily or wider buckets read whole days here
-- and only the partial days at a window's edges from the hourly table: a 90-day chart reads
-- O(days × cells) rows instead of O(hours × cells).
CREATE TABLE "monitoring_rollups_daily" (
    "model_id" UUID NOT NULL,
    "environment_id" UUID NOT NULL,
    "version_id" UUID NOT NULL,
    "bucket" TIMESTAMPTZ NOT NULL,
    "series" TEXT NOT NULL,
    "cell" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    CONSTRAINT "monitoring_rollups_daily_pkey" PRIMARY KEY ("model_id", "environment_id", "version_id", "bucket", "series", "cell")
);
CREATE INDEX "monitoring_rollups_daily_series_bucket_idx" ON "monitoring_rollups_daily" ("model_id", "environment_id", "version_id", "series", "bucket");

-- Existing hourly rollups folded into days once, so history from before this migration reads the same.
INSERT INTO "monitoring_rollups_daily" ("model_id", "environment_id", "version_id", "bucket", "series", "cell", "value")
SELECT "model_id", "environment_id", "version_id", date_bin('1 day', "bucket", timestamptz 'epoch'), "series", "cell", sum("value")
FROM "monitoring_rollups"
GROUP BY 1, 2, 3, 4, 5, 6;
