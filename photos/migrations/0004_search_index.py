"""The full-text search index: an FTS5 table on SQLite, a tsvector + GIN table on PostgreSQL.

Neither is a Django model (FTS5 tables are virtual; the tsvector column has no field), so
they live here as raw SQL per database; photos/search/backends.py reads and writes them.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE photos_search USING fts5(
        title, tags, description, owner,
        tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3')""",
    # Cascades (a deleted account) remove photos without the services: drop their rows too.
    """CREATE TRIGGER photos_search_photo_deleted AFTER DELETE ON photos_photo
       BEGIN DELETE FROM photos_search WHERE rowid = old.id; END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS photos_search_photo_deleted",
    "DROP TABLE IF EXISTS photos_search",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # No foreign key: Django's flush TRUNCATEs photos_photo, which a foreign key from a table
    # Django does not know would refuse. Triggers keep the index clean instead, as on SQLite.
    """CREATE TABLE photos_search (
        photo_id bigint PRIMARY KEY,
        document tsvector NOT NULL)""",
    "CREATE INDEX photos_search_document ON photos_search USING gin (document)",
    """CREATE FUNCTION photos_search_forget() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'TRUNCATE' THEN DELETE FROM photos_search;
         ELSE DELETE FROM photos_search WHERE photo_id = OLD.id; END IF;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER photos_search_photo_deleted AFTER DELETE ON photos_photo
       FOR EACH ROW EXECUTE FUNCTION photos_search_forget()""",
    """CREATE TRIGGER photos_search_photo_truncated AFTER TRUNCATE ON photos_photo
       FOR EACH STATEMENT EXECUTE FUNCTION photos_search_forget()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS photos_search_photo_truncated ON photos_photo",
    "DROP TRIGGER IF EXISTS photos_search_photo_deleted ON photos_photo",
    "DROP FUNCTION IF EXISTS photos_search_forget()",
    "DROP TABLE IF EXISTS photos_search",
]


def _run(statements: dict):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        with schema_editor.connection.cursor() as cursor:
            for sql in statements.get(vendor, []):
                cursor.execute(sql)

    return run


def fill(apps, schema_editor):
    """Nothing to index here: 0005 rebuilds the index in its final layout from the photos."""


class Migration(migrations.Migration):
    dependencies = [
        ("photos", "0003_near_duplicates"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
