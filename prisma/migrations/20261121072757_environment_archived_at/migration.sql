-- AlterTable
ALTER TABLE "environments" ADD COLUMN     "archivedAt" TIMESTAMPTZ(3);
