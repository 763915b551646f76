-- A paused canary is still an open request: a second one for the same version and
-- environment stays refused. (Its own migration: a new enum value cannot be used in the
-- transaction that adds it.)
DROP INDEX "releases_one_open_request";
CREATE UNIQUE INDEX "releases_one_open_request" ON "releases" ("versionId", "environmentId")
  WHERE "status" IN ('pending_approval', 'approved', 'deploying', 'paused');
