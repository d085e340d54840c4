"""The caller's graph as a file for networkx, Gephi and yEd users."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from graphbrm.analysis.snapshot import parse_graph_part
from graphbrm.api.deps import StoreDep, ViewerDep
from graphbrm.graph_export import MEDIA_TYPES, export_graph

router = APIRouter(prefix="/export", tags=["export"])


@router.get("/graph", response_class=Response,
            responses={200: {"content": {t: {} for t in MEDIA_TYPES.values()},
                             "description": "GraphML, or networkx node-link JSON"}})
def graph(store: StoreDep, viewer: ViewerDep,
          fmt: Annotated[Literal["graphml", "json"], Query(alias="format")] = "graphml",
          scope: Annotated[str, Query(max_length=300,
                                      description="company | region:X | account:ID")]
          = "company") -> Response:
    """The visible graph as GraphML or node-link JSON (a file: the only route without a model)."""
    text = export_graph(store, viewer=viewer, fmt=fmt, where=parse_graph_part(scope))
    suffix = "graphml" if fmt == "graphml" else "json"
    return Response(text, media_type=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="graphbrm.{suffix}"'})
