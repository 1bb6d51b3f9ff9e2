"""PostgreSQL answers the comments' accent-free word-prefix search (LIKE '% word%') from a trigram index.

SQLite's equivalent is the FTS5 table made by ``search_index.ensure_comment_search_index``.
"""

from django.db import migrations

from danvan.core.migrations_ops import VendorRunSQL


class Migration(migrations.Migration):
    dependencies = [("consultations", "0003_comment_report_index"), ("units", "0002_postgres_indexes")]
    operations = [
        VendorRunSQL(
            "postgresql",
            "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
            migrations.RunSQL.noop,
        ),
        VendorRunSQL(
            "postgresql",
            "CREATE INDEX IF NOT EXISTS consultations_comment_search_trgm ON consultations_comment "
            "USING gin (search_text gin_trgm_ops);",
            "DROP INDEX IF EXISTS consultations_comment_search_trgm;",
        ),
    ]
