-- The application's database role (issue 11, finding 7): it reads and writes rows, and can erase nothing.
-- Migrations run as the owner role, which owns every table; the application role owns nothing, so it can neither
-- DROP/ALTER a table nor DISABLE a trigger, and, not being a superuser, cannot SET session_replication_role.
-- What it may do is granted here, explicitly:
--   * every table in `public` and `sandbox`: SELECT, INSERT, UPDATE, DELETE — never TRUNCATE (no privilege for it
--     is ever granted), never REFERENCES or TRIGGER; sequences: USAGE, SELECT;
--   * `audit_event`: SELECT and INSERT only (its triggers also reject UPDATE, DELETE and TRUNCATE by anyone);
--   * `change_request`, `change_item`: no DELETE (the change history is part of the record; triggers reject it too);
--   * `_prisma_migrations`: SELECT only (to see that the schema is current).
-- ALTER DEFAULT PRIVILEGES gives tables and sequences the owner creates later (later migrations, including ones
-- with an earlier timestamp applied after this one) the same table-wide grants; a later migration that needs a
-- stricter rule for its own table states it there, as this one does for `audit_event`.
-- The application role's name is the setting `mbo.app_role` (db/migrate.ts passes it; MBO also stores it on the
-- database), `mbo_app` by default. Sent whole by the adapter (prisma.config.ts), so the DO body is one statement.
DO $$
DECLARE
  app text := coalesce(nullif(current_setting('mbo.app_role', true), ''), 'mbo_app');
  s text;
BEGIN
  IF app = current_user THEN
    RAISE NOTICE 'migrations run as the application role "%": there is no separate role to grant to', app;
    RETURN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app) THEN
    RAISE EXCEPTION 'the application role "%" does not exist: create it before migrating (README, "Database roles")', app;
  END IF;
  FOREACH s IN ARRAY ARRAY['public', 'sandbox'] LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, app);
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', s, app);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', s, app);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', s, app);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', s, app);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO %I', s, app);
  END LOOP;
  EXECUTE format('REVOKE ALL ON TABLE "audit_event" FROM %I', app);
  EXECUTE format('GRANT SELECT, INSERT ON TABLE "audit_event" TO %I', app);
  EXECUTE format('REVOKE DELETE, TRUNCATE ON TABLE "change_request", "change_item" FROM %I', app);
  EXECUTE format('REVOKE ALL ON TABLE "_prisma_migrations" FROM %I', app);
  EXECUTE format('GRANT SELECT ON TABLE "_prisma_migrations" TO %I', app);
  -- Nothing reaches the application role through PUBLIC either: no TRUNCATE or DELETE is granted to PUBLIC on
  -- these tables (Postgres grants none by default; this states it).
  REVOKE ALL ON TABLE "audit_event", "change_request", "change_item" FROM PUBLIC;
END
$$;
