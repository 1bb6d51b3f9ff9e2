# PostgreSQL's default collation ignores punctuation when comparing, so the path index could
# not serve subtree reads as an ordered range; in the "C" collation it compares bytes (as
# SQLite does), and a plain b-tree covering (path, id) answers subtree reads index-only and
# also serves LIKE 'prefix%'. A later AlterField on `path` would drop the collation: any such
# migration must re-apply it.
from django.db import migrations

from danvan.core.migrations_ops import VendorRunSQL


class Migration(migrations.Migration):
    dependencies = [("units", "0003_unitrename_verbose_name")]

    operations = [
        VendorRunSQL(
            "postgresql",
            [
                'ALTER TABLE units_unit ALTER COLUMN path TYPE varchar(160) COLLATE "C";',
                "DROP INDEX IF EXISTS units_unit_path_pattern;",
                "CREATE INDEX IF NOT EXISTS units_unit_path_id ON units_unit (path) INCLUDE (id);",
            ],
            [
                "DROP INDEX IF EXISTS units_unit_path_id;",
                "CREATE INDEX IF NOT EXISTS units_unit_path_pattern ON units_unit (path varchar_pattern_ops);",
                'ALTER TABLE units_unit ALTER COLUMN path TYPE varchar(160) COLLATE "default";',
            ],
        ),
    ]
