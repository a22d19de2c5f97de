"""manage.py requeue_stale_tasks: put back jobs whose worker died in the middle of them.

A worker killed mid-job (out of memory, a deploy, a power cut) leaves its job marked running
for ever. Run this when workers start (make run does) or from cron: jobs running for longer
than --older-than seconds go back in the queue. Brouette's jobs are idempotent.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = "Requeue background jobs left running by a worker that died."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=600,
            help="seconds a job may run before it counts as abandoned (default 600)",
        )

    def handle(self, *args, **options) -> None:
        if options["older_than"] < 0:
            self.stderr.write("--older-than must be zero or more seconds.")
            raise SystemExit(2)
        cutoff = timezone.now() - dt.timedelta(seconds=options["older_than"])
        stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
        count = stale.update(status=TaskResultStatus.READY, started_at=None)
        self.stdout.write(f"Requeued {count} abandoned job{'s' if count != 1 else ''}.")
