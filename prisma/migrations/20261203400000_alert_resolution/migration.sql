-- Alerts can be resolved with a note (the web app's Alerts page; services/alerts resolveAlert), besides acknowledged.
ALTER TABLE "alert" ADD COLUMN "resolved_at" TIMESTAMPTZ(3),
ADD COLUMN "resolved_by" TEXT,
ADD COLUMN "note" TEXT;
