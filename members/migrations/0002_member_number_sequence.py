"""A PostgreSQL sequence for member numbers: unique without a lock or a retry, however many sign up at once."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS members_member_number_seq START 1",
            reverse_sql="DROP SEQUENCE IF EXISTS members_member_number_seq",
        ),
    ]
