# On PostgreSQL, scope filters use LIKE 'prefix%' on unit_path (units.selectors.subtree_q):
# a pattern_ops index makes that a range scan (covering the columns statistics group by, so
# they are index-only); the folded search column gets a trigram GIN
# index for LIKE '% word%' (core.search).
from django.db import migrations

from danvan.core.migrations_ops import VendorRunSQL


class Migration(migrations.Migration):
    dependencies = [("practices", "0002_reference_data")]

    operations = [
        VendorRunSQL(
            "postgresql",
            "CREATE INDEX IF NOT EXISTS practices_practice_scope_pattern ON practices_practice "
            "(unit_path varchar_pattern_ops, status) INCLUDE (certified_level, field_id, year, unit_id, province_id);",
            "DROP INDEX IF EXISTS practices_practice_scope_pattern;",
        ),
        VendorRunSQL("postgresql", "CREATE EXTENSION IF NOT EXISTS pg_trgm;", migrations.RunSQL.noop),
        VendorRunSQL(
            "postgresql",
            "CREATE INDEX IF NOT EXISTS practices_practice_search_trgm ON practices_practice "
            "USING gin (search_text gin_trgm_ops);",
            "DROP INDEX IF EXISTS practices_practice_search_trgm;",
        ),
    ]
