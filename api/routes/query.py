"""Read-only Cypher for the data role, with a time limit and a row limit."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from graphbrm.api.deps import QueryDep, SettingsDep, StoreDep
from graphbrm.readonly_query import QueryResult, run_query

router = APIRouter(tags=["query"])


class QueryRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: Annotated[str, Field(min_length=1, max_length=20_000)]
    params: dict[str, Any] = {}


@router.post("/query")
def query(request: QueryRequest, store: StoreDep, viewer: QueryDep,
          settings: SettingsDep) -> QueryResult:
    """Run read-only Cypher; writes are refused, long or big queries stopped, results cut;
    503 while other data queries use every slot."""
    return run_query(store, text=request.query, params=request.params,
                     timeout_s=settings.query_timeout_s, row_limit=settings.query_row_limit,
                     concurrency=settings.query_concurrency,
                     queue_wait_s=settings.query_queue_wait_s)
