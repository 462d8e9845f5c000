"""Rows as typed DataFrames: the dtypes each record type promises (dates as
datetime64, choices as categories, nullable ints), and the tag rows the charts read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import models
from .models import RecordType
from .schema import applications, feedback, feedback_tags

TAGS_QUERY = (sa.select(feedback_tags.c.id, feedback_tags.c.feedback_id, feedback_tags.c.theme,
                         feedback_tags.c.polarity, feedback_tags.c.source,
                         feedback.c.application_id, feedback.c.received_on,
                         feedback.c.requested_on, applications.c.outcome_on,
                         applications.c.applied_on)
               .join(feedback, feedback.c.id == feedback_tags.c.feedback_id)
               .join(applications, applications.c.id == feedback.c.application_id)
               .order_by(feedback_tags.c.id))


def driver_frame(conn: Connection, query: Any, columns: Sequence[str]) -> pd.DataFrame:
    """The rows of ``query`` as the database driver returns them, as a frame."""
    return pd.DataFrame(conn.execute(query).cursor.fetchall(), columns=list(columns))


def typed_tags(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a frame of raw tag rows (:data:`models.TAG_COLUMNS`) the dtypes of
    :meth:`Store.tags`."""
    for col in ("received_on", "requested_on", "outcome_on", "applied_on"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    for col in ("id", "feedback_id", "application_id"):
        frame[col] = pd.to_numeric(frame[col]).astype("Int64")
    frame["theme"] = frame["theme"].astype("str")
    frame["polarity"] = pd.Categorical(frame["polarity"], categories=models.POLARITIES)
    frame["source"] = pd.Categorical(frame["source"], categories=models.TAG_SOURCES)
    return frame


def typed_frame(spec: RecordType, frame: pd.DataFrame) -> pd.DataFrame:
    """Give a frame of raw rows the dtypes its record type promises."""
    if "id" in frame.columns and spec.name != "custom_themes":
        frame["id"] = frame["id"].astype("Int64")
    for f in spec.fields:
        if f.name not in frame.columns:
            continue
        col = frame[f.name]
        if f.kind == "date":
            frame[f.name] = pd.to_datetime(col).astype("datetime64[ns]")
        elif f.kind == "choice":
            frame[f.name] = pd.Categorical(col, categories=f.choices)
        elif f.kind == "bool":
            frame[f.name] = col.fillna(False).astype(bool)
        elif f.kind == "int":
            frame[f.name] = col.astype("Int64")
        else:
            frame[f.name] = col.astype("string")
    for stamp in ("created_at", "updated_at"):
        if stamp in frame.columns:
            frame[stamp] = pd.to_datetime(frame[stamp]).astype("datetime64[ns]")
    return frame
