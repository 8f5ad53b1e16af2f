"""Fix of 0003: once a session has used the « versions created in this transaction » setting,
PostgreSQL returns '' (not NULL) for it in later transactions, so the list lost its leading comma
and a version created in the transaction could not receive its elements. Always start with one.
"""

from django.db import migrations

FIXED = r"""
CREATE OR REPLACE FUNCTION pratiques_grid_version_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- Remember the versions created in this transaction: their elements may still be inserted.
    PERFORM set_config(
      'pratiques.new_grid_versions',
      ',' || coalesce(current_setting('pratiques.new_grid_versions', true), '') || NEW.id || ',',
      true
    );
    RETURN NEW;
  END IF;
  IF OLD.status = 'draft' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION USING
      ERRCODE = 'integrity_constraint_violation',
      MESSAGE = format('La version de grille « %s » est %s : elle ne peut pas être supprimée.',
                       OLD.label, pratiques_grid_status_label(OLD.status));
  END IF;
  IF to_jsonb(NEW) = to_jsonb(OLD) THEN
    RETURN NEW;
  END IF;
  IF OLD.status = 'published' AND NEW.status = 'archived'
     AND to_jsonb(NEW) - 'status' - 'archived_at' = to_jsonb(OLD) - 'status' - 'archived_at' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION USING
    ERRCODE = 'integrity_constraint_violation',
    MESSAGE = format('La version de grille « %s » est %s : elle ne peut plus changer. '
                     'Corrigez-la dans une nouvelle version.',
                     OLD.label, pratiques_grid_status_label(OLD.status));
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("pratiques", "0003_grid_immutability")]

    operations = [migrations.RunSQL(FIXED, migrations.RunSQL.noop)]
