# The officials' inbox at province scale (measured on 1,000,000 cases: docs/performance.md,
# "Phản ánh, kiến nghị (issue 3)"). A provincial official's scope covers every case of the
# province, so the scope filter selects nothing; an inbox of open cases lives on its order
# (selectors.SORTS: due_on ASC NULLS LAST, received_at DESC, id DESC). Without an index in that
# order PostgreSQL fetches, joins and sorts every open case of a field (~9,000 rows, 0.6-0.9 s)
# to show 25 of them; with it, it walks the open cases in inbox order and stops after a page.
#
# Partial on the open states: closed cases are 90 % of the table and have the oldest due
# dates, so a full index would make an "open cases of one field" query walk past all of them
# (measured: 7 s). The planner uses this index whenever the inbox asks for open states
# (every tab but "all"), because status IN (subset) implies the index predicate.
#
# PostgreSQL only: SQLite's default-sized inbox is bounded by what one machine holds.
from django.db import migrations

from danvan.core.migrations_ops import VendorRunSQL

OPEN_STATES = ("received", "accepted", "assigned", "in_progress", "awaiting_info", "answer_drafted",
               "answer_approved", "reopened")


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_case_rating")]

    operations = [
        VendorRunSQL(
            "postgresql",
            "CREATE INDEX IF NOT EXISTS cases_case_open_inbox_order ON cases_case "
            "(due_on, received_at DESC, id DESC) WHERE status IN ("
            + ", ".join(f"'{state}'" for state in OPEN_STATES) + ");",
            "DROP INDEX IF EXISTS cases_case_open_inbox_order;",
        ),
    ]
