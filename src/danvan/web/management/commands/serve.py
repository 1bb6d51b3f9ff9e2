"""`danvan serve --port N`: the embedded tier's web server (waitress, one process)."""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

PERIODIC_JOBS = (("cases_jobs", "remind"), ("cases_jobs", "escalate"), ("cases_jobs", "cleanup-uploads"),
                 ("disclosures_jobs", "notify-scheduled"), ("consultations_jobs", "notify-open"),
                 ("notifications", "retry"))


def _jobs_loop(interval: int) -> None:
    """Run the periodic jobs every ``interval`` seconds; one failing job never stops the others."""
    stop = threading.Event()
    while not stop.wait(interval):
        for args in PERIODIC_JOBS:
            try:
                call_command(*args, verbosity=0)
            except Exception:
                logging.getLogger("danvan.jobs").exception("Việc định kỳ lỗi: %s", " ".join(args))


# Waitress threads: requests beyond them wait in waitress's queue, in order, rather than all
# competing for the interpreter lock at once.
DEFAULT_THREADS = 8


class Command(BaseCommand):
    help = _("Chạy máy chủ web nhúng trên 127.0.0.1 (mặc định cổng 8000 hoặc DANVAN_PORT).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("DANVAN_PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("DANVAN_HOST", "127.0.0.1"))
        parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
        parser.add_argument("--jobs-interval", type=int, default=900,
                            help=_("Số giây giữa hai lần chạy việc định kỳ (nhắc hạn, báo quá hạn, gửi lại thông báo)"))

    def handle(self, *args: Any, **opts: Any) -> None:
        from waitress import serve

        from danvan.config.wsgi import application

        if not settings.REDIS_URL:
            # Tier 1 has no Celery beat: run the idempotent periodic jobs on a timer thread.
            threading.Thread(target=_jobs_loop, args=(opts["jobs_interval"],), daemon=True,
                             name="danvan-jobs").start()
        self.stdout.write(_("danvan đang chạy tại http://%(host)s:%(port)d/ (Ctrl+C để dừng)")
                          % {"host": opts["host"], "port": opts["port"]})
        serve(application, host=opts["host"], port=opts["port"], threads=opts["threads"], ident="danvan",
              clear_untrusted_proxy_headers=True)
