-- AlterTable
ALTER TABLE "monitoring_references" ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 1;
