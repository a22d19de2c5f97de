"""Rebuild the search index from the photos, with a progress bar."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from photos.models import Photo
from photos.search import index


class Command(BaseCommand):
    help = "Rebuild the full-text search index from every photo (safe to run at any time)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=index.BATCH, help="Photos per batch.")

    def handle(self, *args, batch: int, **options):
        total = Photo.objects.count()
        quiet = options["verbosity"] == 0
        with tqdm(total=total, unit="photo", disable=quiet, file=self.stderr) as bar:
            done = index.rebuild(progress=bar.update, batch=batch)
        self.stdout.write(f"Indexed {done} photos.")
