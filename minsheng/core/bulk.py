"""Reading and writing thousands of rows a statement — the sensor ingestion's batches — without the per-row costs
of the ORM, on the ORM's own querysets and models so that SQLite and PostgreSQL share the code.

- `field__any=[…]`: membership in a long list as one array parameter (`field = ANY(%s)`) on PostgreSQL; `IN`
  elsewhere. `field__in` renders a placeholder per value: with thousands of ids, building, binding and parsing the
  statement costs more than running it.
- `values(queryset, *fields)`: `values_list` as tuples, on PostgreSQL with binary results. Django loads text
  timestamps with a Python parser (to set the time zone); binary ones are decoded in C, three times faster for a
  row of timestamps. Only for plain columns (numbers, text, times): no field converters run.
- `upsert(model, unique, fields, rows)`: INSERT … ON CONFLICT (unique) DO UPDATE of many rows in one statement
  (SQLite ≥ 3.24 and PostgreSQL).
- `staged(name, columns, rows)` (PostgreSQL): the rows COPied into a session-local temporary table for the next
  statement to read. COPY writes rows in C; array parameters (`unnest(%s::…[])`) are dumped element by element in
  Python and cost a fifth of an ingestion batch.
"""

import contextlib
import hashlib
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Field, ForeignObject, Lookup
from django.db.models.lookups import In


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False  # the values are prepared one by one below, as In prepares them

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        return In(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(v, connection, prepared=False) for v in self.rhs if v is not None]
        return f"{lhs} = ANY(%s)", (*lhs_params, values)


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # relations keep lookups of their own


@contextlib.contextmanager
def psycopg_cursor(using: str = "default") -> Iterator[Any]:
    """psycopg's own cursor (server-side binding, binary results and COPY on request) on Django's connection and
    inside its transaction; errors come out as Django's (an OperationalError is an outage to wait out)."""
    import psycopg

    db = connections[using]
    with db.wrap_database_errors:
        db.ensure_connection()
        with psycopg.Cursor(db.connection) as cursor:
            yield cursor


def values(queryset: Any, *fields: str) -> list[tuple[Any, ...]]:
    """`list(queryset.values_list(*fields))`, read faster on PostgreSQL (see the module's note)."""
    query = queryset.values_list(*fields)
    db = connections[query.db]
    if db.vendor != "postgresql":
        return list(query)
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:
        return []
    with psycopg_cursor(query.db) as cursor:
        cursor.execute(sql, params, binary=True)
        return cursor.fetchall()


@contextlib.contextmanager
def staged(
    name: str,
    columns: list[tuple[str, str]],
    rows: Iterable[tuple[Any, ...]],
    *,
    binary: bool = False,
    using: str = "default",
) -> Iterator[Any]:
    """PostgreSQL: a temporary table `name` of `columns` ((name, SQL type) pairs) holding `rows`, filled by COPY
    (`binary` when every type is one psycopg knows by that name, e.g. int8, timestamptz, float8). Yields psycopg's
    cursor for the statements that read it; the table is emptied afterwards and at commit. Must run inside a
    transaction (the caller's atomic block): at commit the rows go."""
    if not connections[using].in_atomic_block:
        raise RuntimeError("bulk.staged() needs a transaction: the staged rows go at commit")
    spec = ", ".join(f"{column} {sql_type}" for column, sql_type in columns)
    names = ", ".join(column for column, _ in columns)
    with psycopg_cursor(using) as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {name} ({spec}) ON COMMIT DELETE ROWS")
        with cursor.copy(f"COPY {name} ({names}) FROM STDIN{' (FORMAT BINARY)' if binary else ''}") as copy:
            if binary:
                copy.set_types([sql_type for _, sql_type in columns])
            for row in rows:
                copy.write_row(row)
        try:
            yield cursor
        finally:
            cursor.execute(f"TRUNCATE {name}")  # ready for the next batch of the same transaction


def upsert(
    model: Any, unique: list[str], fields: list[str], rows: list[tuple[Any, ...]], *, using: str = "default"
) -> None:
    """Insert `rows` (tuples of plain values: unique fields then `fields`, in that order; every column a new row
    needs) or, where a row with the same unique fields exists, update its `fields` — one statement for them all,
    safe against another process inserting the same row meanwhile."""
    if not rows:
        return
    db = connections[using]
    meta, qn = model._meta, db.ops.quote_name
    columns = [meta.get_field(name) for name in unique + fields]
    names = ", ".join(qn(f.column) for f in columns)
    conflict = ", ".join(qn(f.column) for f in columns[: len(unique)])
    updates = ", ".join(f"{qn(f.column)} = excluded.{qn(f.column)}" for f in columns[len(unique) :])
    tail = f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    if db.vendor == "postgresql":
        # Django's client-side binding would render every value into the SQL text, executemany sends a statement
        # per row: the rows are COPied into a stage and moved by one statement.
        spec = [(qn(f.column), f.cast_db_type(db) or f.db_type(db)) for f in columns]
        stage = f"{meta.db_table}_upsert_{hashlib.sha1(repr(spec).encode()).hexdigest()[:8]}"
        with transaction.atomic(using=using), staged(stage, spec, rows, using=using) as cursor:
            cursor.execute(f"INSERT INTO {qn(meta.db_table)} ({names}) SELECT {names} FROM {stage} {tail}")
        return
    sql = f"INSERT INTO {qn(meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))}) {tail}"
    prepared = [[f.get_db_prep_save(v, db) for f, v in zip(columns, row, strict=True)] for row in rows]
    with db.cursor() as cursor:
        cursor.executemany(sql, prepared)
