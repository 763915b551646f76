-- CreateEnum
CREATE TYPE "EvidenceKind" AS ENUM ('request', 'approval');

-- CreateTable
CREATE TABLE "release_evidence" (
    "id" UUID NOT NULL,
    "releaseId" UUID NOT NULL,
    "kind" "EvidenceKind" NOT NULL,
    "takenAt" TIMESTAMPTZ(3) NOT NULL,
    "takenById" UUID,
    "takenByEmail" TEXT,
    "baselineVersion" INTEGER,
    "metrics" JSONB NOT NULL DEFAULT '[]',
    "params" JSONB NOT NULL DEFAULT '[]',
    "gates" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "release_evidence_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "release_evidence_releaseId_takenAt_idx" ON "release_evidence"("releaseId", "takenAt");

-- AddForeignKey
ALTER TABLE "release_evidence" ADD CONSTRAINT "release_evidence_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "releases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Evidence records how a release looked when it was requested and approved: never rewritten.
CREATE FUNCTION release_evidence_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'release_evidence is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER release_evidence_no_update_delete
  BEFORE UPDATE OR DELETE ON "release_evidence"
  FOR EACH ROW EXECUTE FUNCTION release_evidence_refuse_change();
