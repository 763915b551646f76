-- Written by hand: Prisma cannot declare partitioned tables, so the monitoring data plane lives
-- outside schema.prisma and is read and written with raw SQL through `pg`
-- (lib/server/monitoring; design and figures in docs/decisions/0008-monitoring-storage.md).

-- Raw prediction records. One LIST partition per model (created with the model's first batch),
-- itself RANGE-partitioned by day, so a model's retention drops whole daily tables.
CREATE TABLE "monitoring_predictions" (
    "model_id" UUID NOT NULL,
    "ts" TIMESTAMPTZ NOT NULL,
    "environment_id" UUID NOT NULL,
    "version_id" UUID NOT NULL,
    "record_id" TEXT NOT NULL,
    -- Feature values in the order of the version's schema: numeric ones here, categorical ones
    -- (sensitive ones as salted hashes) in cat_values. Positional arrays are a third of the
    -- size of a JSON object per row.
    "num_values" DOUBLE PRECISION[],
    "cat_values" TEXT[],
    "pred_num" DOUBLE PRECISION,
    "pred_label" TEXT,
    "score" DOUBLE PRECISION,
    "latency_ms" REAL,
    "error" TEXT
) PARTITION BY LIST ("model_id");

-- One row per record id and model: what makes ingestion idempotent (a unique key on the
-- partitioned table would have to include the timestamp, which a retry without one changes)
-- and what a label arriving later joins with, without probing the daily partitions.
CREATE TABLE "monitoring_record_ids" (
    "model_id" UUID NOT NULL,
    "record_id" TEXT NOT NULL,
    "ts" TIMESTAMPTZ NOT NULL,
    "environment_id" UUID NOT NULL,
    "version_id" UUID NOT NULL,
    "pred_num" DOUBLE PRECISION,
    "pred_label" TEXT,
    "score" DOUBLE PRECISION,
    CONSTRAINT "monitoring_record_ids_pkey" PRIMARY KEY ("model_id", "record_id")
);
-- Only retention reads by time, once an hour: a BRIN index costs next to nothing per insert, where
-- a second B-tree made this table's insert the most expensive statement of a batch.
CREATE INDEX "monitoring_record_ids_ts_idx" ON "monitoring_record_ids" USING BRIN ("ts");

-- Ground truth, kept whether or not its prediction has arrived yet; the first label for an id wins.
CREATE TABLE "monitoring_labels" (
    "model_id" UUID NOT NULL,
    "record_id" TEXT NOT NULL,
    "label_num" DOUBLE PRECISION,
    "label_text" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT "monitoring_labels_pkey" PRIMARY KEY ("model_id", "record_id")
);
CREATE INDEX "monitoring_labels_model_id_received_at_idx" ON "monitoring_labels" ("model_id", "received_at");

-- Hourly rollups: one additive counter per (series, cell), e.g. ("f:age", "bin:3"),
-- ("prediction", "cat:churn"), ("records", "lat:42"), ("labels", "cm:1|0"). Every cell is a sum,
-- so a batch's deltas apply with INSERT … ON CONFLICT DO UPDATE SET value = value + excluded.value.
CREATE TABLE "monitoring_rollups" (
    "model_id" UUID NOT NULL,
    "environment_id" UUID NOT NULL,
    "version_id" UUID NOT NULL,
    "bucket" TIMESTAMPTZ NOT NULL,
    "series" TEXT NOT NULL,
    "cell" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    CONSTRAINT "monitoring_rollups_pkey" PRIMARY KEY ("model_id", "environment_id", "version_id", "bucket", "series", "cell")
);
CREATE INDEX "monitoring_rollups_model_id_bucket_idx" ON "monitoring_rollups" ("model_id", "bucket");
