-- Charts read a few series of a version over a window (performance: "records" and "labels";
-- a distribution: one column). The primary key orders cells by bucket before series, so such a
-- read walked every column's cells of the window; this index reaches one series' cells directly.
CREATE INDEX "monitoring_rollups_series_bucket_idx" ON "monitoring_rollups" ("model_id", "environment_id", "version_id", "series", "bucket");
