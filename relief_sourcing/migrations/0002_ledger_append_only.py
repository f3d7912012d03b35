"""The relief ledger is append-only in the database too: UPDATE and DELETE raise restrict_violation
(SQLSTATE 23001), which Django reports as an IntegrityError. TRUNCATE is left to test teardown."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("relief_sourcing", "0001_initial")]

    operations = [
        migrations.RunSQL(
            """
            CREATE FUNCTION relief_ledger_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'relief ledger entries are append-only: % refused', TG_OP
                    USING ERRCODE = 'restrict_violation';
            END;
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER relief_ledger_append_only
                BEFORE UPDATE OR DELETE ON relief_sourcing_reliefledgerentry
                FOR EACH ROW EXECUTE FUNCTION relief_ledger_append_only();
            """,
            """
            DROP TRIGGER IF EXISTS relief_ledger_append_only ON relief_sourcing_reliefledgerentry;
            DROP FUNCTION IF EXISTS relief_ledger_append_only();
            """,
        )
    ]
