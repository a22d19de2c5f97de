"""Search index v2: facet codes beside every document, precomputed counts, tags as marks.

- `photos_search_license(license, rank)`: a stable rank per catalogue license.
- `photos_search_count(code, n)`: how many photos have each facet code (photos.search.keys),
  kept exact by triggers on photos_photo, so unfiltered counts never scan the photos.
- `photos_search`: SQLite FTS5 keyed by `code << 40 | id` with a `marks` column (`t<tag id>`,
  `o<owner id>`); on PostgreSQL, rows of `code`, `owner_id` and the words' tsvector, beside
  `photos_search_marks` whose tsvector holds the marks as lexemes (`#t<tag id>`,
  `#o<owner id>`, `#c<code>`).
Triggers move a document's code, and the counts, when a photo's visibility, license or size
change, and drop both when a photo is deleted, whatever made the change.
"""

from django.db import migrations

from photos.search.keys import COUNT_TABLE, LICENSE_TABLE, code_sql, key_sql

COMMON = [
    f"""CREATE TABLE {LICENSE_TABLE} (
        license varchar(64) PRIMARY KEY, rank integer NOT NULL UNIQUE)""",
    f"CREATE TABLE {COUNT_TABLE} (code integer PRIMARY KEY, n bigint NOT NULL)",
]


def _sqlite_count(code: str, delta: int) -> str:
    return (
        f"INSERT INTO {COUNT_TABLE} (code, n) VALUES ({code}, {delta}) "
        f"ON CONFLICT (code) DO UPDATE SET n = n + ({delta});"
    )


SQLITE = [
    "DROP TRIGGER IF EXISTS photos_search_photo_deleted",
    "DROP TABLE IF EXISTS photos_search",
    """CREATE VIRTUAL TABLE photos_search USING fts5(
        title, tags, description, owner, marks,
        tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3')""",
    f"""CREATE TRIGGER photos_search_photo_added AFTER INSERT ON photos_photo
       BEGIN {_sqlite_count(code_sql("NEW"), 1)} END""",
    f"""CREATE TRIGGER photos_search_photo_deleted AFTER DELETE ON photos_photo
       BEGIN
         DELETE FROM photos_search WHERE rowid = {key_sql("OLD")};
         {_sqlite_count(code_sql("OLD"), -1)}
       END""",
    f"""CREATE TRIGGER photos_search_photo_moved
       AFTER UPDATE OF visibility, license, width, height ON photos_photo
       WHEN {code_sql("OLD")} <> {code_sql("NEW")}
       BEGIN
         UPDATE photos_search SET rowid = {key_sql("NEW")} WHERE rowid = {key_sql("OLD")};
         {_sqlite_count(code_sql("OLD"), -1)}
         {_sqlite_count(code_sql("NEW"), 1)}
       END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS photos_search_photo_moved",
    "DROP TRIGGER IF EXISTS photos_search_photo_deleted",
    "DROP TRIGGER IF EXISTS photos_search_photo_added",
    "DROP TABLE IF EXISTS photos_search",
    # 0004's table, refilled by `manage.py rebuild_search_index` after going back.
    """CREATE VIRTUAL TABLE photos_search USING fts5(
        title, tags, description, owner,
        tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3')""",
    """CREATE TRIGGER photos_search_photo_deleted AFTER DELETE ON photos_photo
       BEGIN DELETE FROM photos_search WHERE rowid = old.id; END""",
]

# Counts are moved in code order, so two transactions moving photos between the same two
# codes in opposite directions lock the count rows in the same order and cannot deadlock.
POSTGRES = [
    "DROP TRIGGER IF EXISTS photos_search_photo_truncated ON photos_photo",
    "DROP TRIGGER IF EXISTS photos_search_photo_deleted ON photos_photo",
    "DROP FUNCTION IF EXISTS photos_search_forget()",
    "DROP TABLE IF EXISTS photos_search",
    """CREATE TABLE photos_search (
        photo_id bigint PRIMARY KEY,
        code integer NOT NULL,
        owner_id bigint NOT NULL,
        document tsvector NOT NULL)""",
    "CREATE INDEX photos_search_document ON photos_search USING gin (document)",
    """CREATE TABLE photos_search_marks (
        photo_id bigint PRIMARY KEY,
        code integer NOT NULL,
        owner_id bigint NOT NULL,
        marks tsvector NOT NULL)""",
    "CREATE INDEX photos_search_marks_gin ON photos_search_marks USING gin (marks)",
    f"""CREATE FUNCTION photos_search_count(code integer, delta integer) RETURNS void
       LANGUAGE sql AS $$
         INSERT INTO {COUNT_TABLE} (code, n) VALUES (code, delta)
         ON CONFLICT (code) DO UPDATE SET n = {COUNT_TABLE}.n + EXCLUDED.n
       $$""",
    f"""CREATE FUNCTION photos_search_follow() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE before integer; after integer;
       BEGIN
         IF TG_OP = 'TRUNCATE' THEN
           DELETE FROM photos_search;
           DELETE FROM photos_search_marks;
           DELETE FROM {COUNT_TABLE};
           RETURN NULL;
         END IF;
         IF TG_OP <> 'INSERT' THEN before := {code_sql("OLD")}; END IF;
         IF TG_OP <> 'DELETE' THEN after := {code_sql("NEW")}; END IF;
         IF TG_OP = 'DELETE' THEN
           DELETE FROM photos_search WHERE photo_id = OLD.id;
           DELETE FROM photos_search_marks WHERE photo_id = OLD.id;
           PERFORM photos_search_count(before, -1);
         ELSIF TG_OP = 'INSERT' THEN
           PERFORM photos_search_count(after, 1);
         ELSIF before <> after THEN
           UPDATE photos_search SET code = after WHERE photo_id = NEW.id;
           UPDATE photos_search_marks
              SET code = after,
                  marks = ts_delete(marks, '#c' || before)
                          || array_to_tsvector(ARRAY['#c' || after])
            WHERE photo_id = NEW.id;
           IF before < after THEN
             PERFORM photos_search_count(before, -1); PERFORM photos_search_count(after, 1);
           ELSE
             PERFORM photos_search_count(after, 1); PERFORM photos_search_count(before, -1);
           END IF;
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER photos_search_photo_changed
       AFTER INSERT OR DELETE OR UPDATE OF visibility, license, width, height ON photos_photo
       FOR EACH ROW EXECUTE FUNCTION photos_search_follow()""",
    """CREATE TRIGGER photos_search_photo_truncated AFTER TRUNCATE ON photos_photo
       FOR EACH STATEMENT EXECUTE FUNCTION photos_search_follow()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS photos_search_photo_truncated ON photos_photo",
    "DROP TRIGGER IF EXISTS photos_search_photo_changed ON photos_photo",
    "DROP FUNCTION IF EXISTS photos_search_follow()",
    "DROP FUNCTION IF EXISTS photos_search_count(integer, integer)",
    "DROP TABLE IF EXISTS photos_search_marks",
    "DROP TABLE IF EXISTS photos_search",
    "CREATE TABLE photos_search (photo_id bigint PRIMARY KEY, document tsvector NOT NULL)",
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
REVERSE_COMMON = [f"DROP TABLE IF EXISTS {COUNT_TABLE}", f"DROP TABLE IF EXISTS {LICENSE_TABLE}"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor)
    if statements is None:
        return
    with schema_editor.connection.cursor() as cursor:
        for sql in COMMON + statements:
            cursor.execute(sql)
    from photos.search import index

    index.rebuild()


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(vendor)
    if statements is None:
        return
    with schema_editor.connection.cursor() as cursor:
        for sql in statements + REVERSE_COMMON:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("photos", "0004_search_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
