"""Celery application.

In the embedded tier (no REDIS_URL) tasks run eagerly in the web process, so a single
`danvan serve` needs no second process; with REDIS_URL set a worker and beat run them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.config.settings")

app = Celery("danvan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
