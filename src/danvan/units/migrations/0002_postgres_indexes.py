# On PostgreSQL, subtree queries use LIKE 'prefix%' (see units.selectors.subtree_q), which
# needs a pattern_ops index; accent-insensitive search uses LIKE '% word%' on the folded
# column, which a trigram GIN index answers.
from django.db import migrations

from danvan.core.migrations_ops import VendorRunSQL


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]

    operations = [
        VendorRunSQL(
            "postgresql",
            "CREATE INDEX IF NOT EXISTS units_unit_path_pattern ON units_unit (path varchar_pattern_ops);",
            "DROP INDEX IF EXISTS units_unit_path_pattern;",
        ),
        VendorRunSQL(
            "postgresql",
            "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
            migrations.RunSQL.noop,
        ),
        VendorRunSQL(
            "postgresql",
            "CREATE INDEX IF NOT EXISTS units_unit_search_trgm ON units_unit USING gin (search_text gin_trgm_ops);"
            "CREATE INDEX IF NOT EXISTS units_org_search_trgm ON units_organisation USING gin (search_text gin_trgm_ops);",
            "DROP INDEX IF EXISTS units_unit_search_trgm; DROP INDEX IF EXISTS units_org_search_trgm;",
        ),
    ]
