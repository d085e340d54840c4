"""Ties into a key person: add or change one, remove one; each change kept in history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from graphbrm import ties
from graphbrm.api.deps import EditorDep, StoreDep, ZoneDep

router = APIRouter(tags=["ties"])
PersonId = Annotated[str, Path(min_length=1, max_length=200)]
FromId = Annotated[str, Path(min_length=1, max_length=200,
                             description="our employee's id, or a key person's (influences only)")]


@router.put("/key-persons/{person_id}/ties/{tie_type}/{from_id}")
def set_tie(person_id: PersonId, tie_type: ties.TieType, from_id: FromId, body: ties.TieUpdate,
            store: StoreDep, viewer: EditorDep, zone: ZoneDep) -> ties.TiePublic:
    """Add the tie from an employee (knows or influences) or a key person of the same account
    (influences) to this key person, or change its strength; kept in history."""
    return ties.set_tie(store, viewer=viewer, person_id=person_id, tie_type=tie_type,
                        from_id=from_id, changes=body, zone=zone)


@router.delete("/key-persons/{person_id}/ties/{tie_type}/{from_id}")
def remove_tie(person_id: PersonId, tie_type: ties.TieType, from_id: FromId, store: StoreDep,
               viewer: EditorDep) -> ties.TiePublic:
    """Remove the tie (the contact is lost); kept in history. A decision maker, veto holder or
    approver whom nobody reaches any more raises a `cut_off` alert."""
    return ties.remove_tie(store, viewer=viewer, person_id=person_id, tie_type=tie_type,
                           from_id=from_id)
