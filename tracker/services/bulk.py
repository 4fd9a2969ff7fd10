"""Bulk creation for the CSV import: many validated records and their first history rows.

Why not simple-history's bulk_create_with_history: it builds a second model instance per
record and has the ORM adapt every value twice, which made the history row cost more than
the record itself (under 3,000 rows/s for the pair). Here each record's values are adapted
once, by Django's own `Field.get_db_prep_save`, and the same values fill its history row
(simple-history's columns are the record's columns plus history_date, history_type,
history_change_reason and history_user). INSERT ... RETURNING on PostgreSQL and SQLite 3.35+;
anything else falls back to bulk_create_with_history.

Callers validate first (tracker.services.common.record_prepare) and evaluate flags after.
"""

from django.db import connections, router, transaction
from django.db.models import AutoField
from django.utils import timezone
from simple_history.utils import bulk_create_with_history


@transaction.atomic
def records_bulk_create(model, instances: list, *, actor, batch_size: int = 1000) -> list:
    """Insert instances that went through record_prepare, each with its '+' history row."""
    if not instances:
        return instances
    connection = connections[router.db_for_write(model)]
    history = model.history.model
    plan = _history_plan(model, history)
    if plan is None or not connection.features.can_return_rows_from_bulk_insert:
        return bulk_create_with_history(instances, model, batch_size=batch_size, default_user=actor)
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoField)]
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in instances]
    ids = _insert(connection, model, fields, rows, batch_size)
    for obj, pk in zip(instances, ids, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
    position = {f.attname: index for index, f in enumerate(fields)}
    extras = {
        "history_date": history._meta.get_field("history_date").get_db_prep_save(timezone.now(), connection),
        "history_type": "+",
        "history_change_reason": None,
        "history_user_id": getattr(actor, "pk", None),
    }
    history_rows = [
        [
            row[position[name]] if name in position else (pk if name == model._meta.pk.attname else extras[name])
            for name in plan
        ]
        for row, pk in zip(rows, ids, strict=True)
    ]
    _insert(connection, history, [history._meta.get_field(name) for name in plan], history_rows, batch_size)
    return instances


def _history_plan(model, history) -> list[str] | None:
    """The history table's columns, if each is a column of the record or a known history column."""
    known = {f.attname for f in model._meta.concrete_fields} | {
        "history_date",
        "history_type",
        "history_change_reason",
        "history_user_id",
    }
    names = [f.attname for f in history._meta.concrete_fields if not f.primary_key]
    return names if set(names) <= known else None


def _insert(connection, model, fields, rows: list[list], batch_size: int) -> list:
    """INSERT rows of adapted values in as few statements as the database allows; their new keys.

    PostgreSQL gets one array per column through UNNEST, as Django's own PostgreSQL compiler
    does for bulk_create: a few parameters per statement instead of one per value, which
    psycopg would otherwise rewrite one placeholder at a time.
    """
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    pk = ops.quote_name(model._meta.pk.column)
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{f.db_type(connection).split('(')[0]}[]" for f in fields)
        sql, per_statement = (
            f"INSERT INTO {table} ({columns}) SELECT * FROM UNNEST({arrays}) RETURNING {pk}",  # noqa: S608
            batch_size,
        )
    else:
        per_statement = max(1, min(batch_size, (connection.features.max_query_params or 65535) // len(fields)))
        sql = ""
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    ids: list = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            if sql:
                cursor.execute(sql, [list(column) for column in zip(*batch, strict=True)])
            else:
                values = ", ".join([one] * len(batch))
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {pk}",  # noqa: S608 (names quoted)
                    [value for row in batch for value in row],
                )
            ids.extend(row[0] for row in cursor.fetchall())
    return ids
