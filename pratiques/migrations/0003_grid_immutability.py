"""A published or archived grid version can never change: PostgreSQL triggers enforce it.

- The version row: once published, the only change allowed is « published → archived » (with its
  archiving date); it can never be deleted.
- Its axes, situations, practices, answer-scale steps and key lineage: no insert, update or delete,
  except the inserts that load a version created in the same transaction (fixtures, a copy).
A row rewritten with identical values is not a change (re-running loaddata stays possible).
"""

from django.db import migrations

ELEMENT_TABLES = {
    "pratiques_axis": "un axe",
    "pratiques_situation": "une situation",
    "pratiques_practice": "une pratique",
    "pratiques_scalestep": "un échelon d'échelle",
    "pratiques_keylineage": "une filiation de clés",
}

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION pratiques_grid_status_label(status text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE status WHEN 'published' THEN 'publiée' WHEN 'archived' THEN 'archivée' ELSE status END
$$;

CREATE OR REPLACE FUNCTION pratiques_grid_version_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- Remember the versions created in this transaction: their elements may still be inserted.
    PERFORM set_config(
      'pratiques.new_grid_versions',
      coalesce(current_setting('pratiques.new_grid_versions', true), ',') || NEW.id || ',',
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

CREATE OR REPLACE FUNCTION pratiques_grid_element_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  version_ids bigint[];
  v_id bigint;
  v_status text;
  v_label text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    version_ids := ARRAY[NEW.version_id];
  ELSIF TG_OP = 'DELETE' THEN
    version_ids := ARRAY[OLD.version_id];
  ELSE
    IF to_jsonb(NEW) = to_jsonb(OLD) THEN RETURN NEW; END IF;
    version_ids := ARRAY[OLD.version_id, NEW.version_id];
  END IF;
  FOREACH v_id IN ARRAY version_ids LOOP
    SELECT status, label INTO v_status, v_label FROM pratiques_gridversion WHERE id = v_id;
    CONTINUE WHEN v_status IS NULL OR v_status = 'draft';
    CONTINUE WHEN TG_OP = 'INSERT' AND position(
      ',' || v_id || ',' IN coalesce(current_setting('pratiques.new_grid_versions', true), '')
    ) > 0;
    RAISE EXCEPTION USING
      ERRCODE = 'integrity_constraint_violation',
      MESSAGE = format('La version de grille « %s » est %s : %s ne peut plus y être %s. '
                       'Corrigez-la dans une nouvelle version.',
                       v_label, pratiques_grid_status_label(v_status), TG_ARGV[0],
                       CASE TG_OP WHEN 'INSERT' THEN 'ajouté(e)' WHEN 'DELETE' THEN 'supprimé(e)'
                                  ELSE 'modifié(e)' END);
  END LOOP;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER pratiques_gridversion_immutable
BEFORE UPDATE OR DELETE ON pratiques_gridversion
FOR EACH ROW EXECUTE FUNCTION pratiques_grid_version_guard();

CREATE TRIGGER pratiques_gridversion_created
AFTER INSERT ON pratiques_gridversion
FOR EACH ROW EXECUTE FUNCTION pratiques_grid_version_guard();
"""

ELEMENT_TRIGGERS = "\n".join(
    f"""CREATE TRIGGER {table}_immutable
BEFORE INSERT OR UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION pratiques_grid_element_guard('{label.replace("'", "''")}');"""
    for table, label in ELEMENT_TABLES.items()
)

REVERSE = "\n".join(
    [f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};" for table in ELEMENT_TABLES]
    + [
        "DROP TRIGGER IF EXISTS pratiques_gridversion_immutable ON pratiques_gridversion;",
        "DROP TRIGGER IF EXISTS pratiques_gridversion_created ON pratiques_gridversion;",
        "DROP FUNCTION IF EXISTS pratiques_grid_element_guard();",
        "DROP FUNCTION IF EXISTS pratiques_grid_version_guard();",
        "DROP FUNCTION IF EXISTS pratiques_grid_status_label(text);",
    ]
)


class Migration(migrations.Migration):
    dependencies = [("pratiques", "0002_curation")]

    operations = [migrations.RunSQL(FUNCTIONS + ELEMENT_TRIGGERS, REVERSE)]
