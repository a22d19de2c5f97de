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

# PostgreSQL follows photos with statement-level triggers over transition tables: a bulk load
# of a million rows updates each count row once, not a million times (row-level updates of
# the same few count rows inside one transaction would each walk a growing version chain).
# Counts are added in code order, so two transactions moving photos between the same codes
# in opposite directions lock the count rows in the same order and cannot deadlock.
_MOVED = (
    f"SELECT n.id, {code_sql('o')} AS before, {code_sql('n')} AS after "
    "FROM old_rows o JOIN new_rows n ON n.id = o.id"
)
_ADD = (
    f"INSERT INTO {COUNT_TABLE} (code, n) SELECT code, SUM(delta) FROM ({{rows}}) d "
    f"GROUP BY code ORDER BY code ON CONFLICT (code) DO UPDATE SET n = {COUNT_TABLE}.n + EXCLUDED.n"
)
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
    f"""CREATE FUNCTION photos_search_follow() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'TRUNCATE' THEN
           DELETE FROM photos_search;
           DELETE FROM photos_search_marks;
           DELETE FROM {COUNT_TABLE};
         ELSIF TG_OP = 'INSERT' THEN
           {_ADD.format(rows=f"SELECT {code_sql('n')} AS code, 1 AS delta FROM new_rows n")};
         ELSIF TG_OP = 'DELETE' THEN
           DELETE FROM photos_search WHERE photo_id IN (SELECT id FROM old_rows);
           DELETE FROM photos_search_marks WHERE photo_id IN (SELECT id FROM old_rows);
           {_ADD.format(rows=f"SELECT {code_sql('o')} AS code, -1 AS delta FROM old_rows o")};
         ELSIF EXISTS (SELECT 1 FROM ({_MOVED}) m WHERE m.before <> m.after) THEN
           UPDATE photos_search s SET code = m.after FROM ({_MOVED}) m
            WHERE s.photo_id = m.id AND m.before <> m.after;
           UPDATE photos_search_marks s
              SET code = m.after,
                  marks = ts_delete(s.marks, '#c' || m.before)
                          || array_to_tsvector(ARRAY['#c' || m.after])
             FROM ({_MOVED}) m
            WHERE s.photo_id = m.id AND m.before <> m.after;
           {_ADD.format(rows=f"SELECT before AS code, -1 AS delta FROM ({_MOVED}) m "
                             f"WHERE before <> after UNION ALL SELECT after, 1 FROM ({_MOVED}) m "
                             "WHERE before <> after")};
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER photos_search_photo_added AFTER INSERT ON photos_photo
       REFERENCING NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION photos_search_follow()""",
    """CREATE TRIGGER photos_search_photo_changed AFTER UPDATE ON photos_photo
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION photos_search_follow()""",
    """CREATE TRIGGER photos_search_photo_deleted AFTER DELETE ON photos_photo
       REFERENCING OLD TABLE AS old_rows
       FOR EACH STATEMENT EXECUTE FUNCTION photos_search_follow()""",
    """CREATE TRIGGER photos_search_photo_truncated AFTER TRUNCATE ON photos_photo
       FOR EACH STATEMENT EXECUTE FUNCTION photos_search_follow()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS photos_search_photo_truncated ON photos_photo",
    "DROP TRIGGER IF EXISTS photos_search_photo_deleted ON photos_photo",
    "DROP TRIGGER IF EXISTS photos_search_photo_changed ON photos_photo",
    "DROP TRIGGER IF EXISTS photos_search_photo_added ON photos_photo",
    "DROP FUNCTION IF EXISTS photos_search_follow()",
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
