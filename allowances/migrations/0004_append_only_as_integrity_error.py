"""The append-only trigger raises restrict_violation (SQLSTATE 23001) instead of the generic P0001, so
Django reports a refused UPDATE or DELETE as an IntegrityError, as it does a broken constraint."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("allowances", "0003_grant_idempotency_key")]

    operations = [
        migrations.RunSQL(
            """
            CREATE OR REPLACE FUNCTION allowances_entry_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'allowance entries are append-only: % refused', TG_OP
                    USING ERRCODE = 'restrict_violation';
            END;
            $$ LANGUAGE plpgsql;
            """,
            """
            CREATE OR REPLACE FUNCTION allowances_entry_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'allowance entries are append-only';
            END;
            $$ LANGUAGE plpgsql;
            """,
        )
    ]
