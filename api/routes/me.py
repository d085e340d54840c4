"""The signed-in caller (the web UI asks this first)."""

from __future__ import annotations

from fastapi import APIRouter

from graphbrm import tokens
from graphbrm.api.deps import StoreDep, ViewerDep

router = APIRouter(prefix="/api/v1", tags=["sign-in"])


@router.get("/me")
def me(store: StoreDep, viewer: ViewerDep) -> tokens.Me:
    """Who the bearer token signs in: employee id, name and role."""
    return tokens.who_am_i(store, viewer=viewer)
