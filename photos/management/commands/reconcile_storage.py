"""manage.py reconcile_storage [--fix]: report (and repair) mismatches between rows and blobs."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from photos import reconcile, storage


class Command(BaseCommand):
    help = "Find orphan blobs, missing renditions and photos whose original is gone."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--fix",
            action="store_true",
            help="delete orphans, regenerate missing renditions, flag rows without originals",
        )

    def handle(self, *args, **options) -> None:
        try:
            report = reconcile.audit()
        except storage.StorageUnavailable as exc:
            raise CommandError(exc.message) from None
        self._print(report)
        if options["fix"] and not report.clean:
            reconcile.fix(report)
            self.stdout.write(self.style.SUCCESS("Fixed: orphans deleted, renditions queued."))

    def _print(self, report: reconcile.Report) -> None:
        lines = [f"Orphan originals: {len(report.orphan_originals)}"]
        lines += [f"  {key}" for key in report.orphan_originals]
        for alias, keys in report.orphan_renditions.items():
            lines.append(f"Orphan files in {alias}: {len(keys)}")
            lines += [f"  {key}" for key in keys]
        lines.append(f"Abandoned direct uploads: {len(report.stale_uploads)}")
        lines.append(f"Photos whose original is missing: {report.missing_originals or 'none'}")
        lines.append(f"Photos missing renditions: {report.missing_renditions or 'none'}")
        lines.append("Everything matches." if report.clean else "Run with --fix to repair.")
        self.stdout.write("\n".join(lines))
