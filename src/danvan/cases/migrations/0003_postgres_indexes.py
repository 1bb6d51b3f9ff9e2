# On PostgreSQL, scope filters use LIKE 'prefix%' on unit_path (units.selectors.subtree_q),
# which needs a pattern_ops index to be a range scan, and the inbox adds status and due_on;
# accent-insensitive search uses LIKE '% word%' on the folded column: a trigram GIN index.
from django.db import migrations

from danvan.core.migrations_ops import VendorRunSQL


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_reference_data")]

    operations = [
        VendorRunSQL(
            "postgresql",
            "CREATE INDEX IF NOT EXISTS cases_case_inbox_pattern ON cases_case "
            "(unit_path varchar_pattern_ops, status, due_on);",
            "DROP INDEX IF EXISTS cases_case_inbox_pattern;",
        ),
        VendorRunSQL("postgresql", "CREATE EXTENSION IF NOT EXISTS pg_trgm;", migrations.RunSQL.noop),
        VendorRunSQL(
            "postgresql",
            "CREATE INDEX IF NOT EXISTS cases_case_search_trgm ON cases_case USING gin (search_text gin_trgm_ops);",
            "DROP INDEX IF EXISTS cases_case_search_trgm;",
        ),
    ]
