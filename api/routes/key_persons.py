"""Key persons: one person, score and role edits kept in history, and who can reach them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from graphbrm import history, key_persons, paths
from graphbrm.api.deps import EditorDep, StoreDep, ThresholdsDep, ViewerDep, ZoneDep

router = APIRouter(tags=["key persons"])
PersonId = Annotated[str, Path(min_length=1, max_length=200)]


@router.get("/key-persons/{person_id}")
def get_key_person(person_id: PersonId, store: StoreDep, viewer: ViewerDep,
                   thresholds: ThresholdsDep) -> key_persons.KeyPersonPublic:
    """One key person: account, department, current scores and status."""
    return key_persons.get_key_person(store, viewer=viewer, person_id=person_id, thresholds=thresholds)


@router.patch("/key-persons/{person_id}")
def update_key_person(person_id: PersonId, changes: key_persons.KeyPersonUpdate, store: StoreDep,
                      viewer: EditorDep, thresholds: ThresholdsDep,
                      zone: ZoneDep) -> key_persons.KeyPersonPublic:
    """Change scores (null = unknown) or the decision role; each change is kept in history."""
    return key_persons.update_key_person(store, viewer=viewer, person_id=person_id, changes=changes,
                                     thresholds=thresholds, zone=zone)


@router.get("/key-persons/{person_id}/history")
def get_score_history(person_id: PersonId, store: StoreDep,
                      viewer: ViewerDep) -> history.ScoreHistory:
    """The person's Score records, newest first, and its decision-role changes."""
    return history.score_history(store, viewer=viewer, person_id=person_id)


@router.get("/key-persons/{person_id}/paths")
def get_paths(person_id: PersonId, store: StoreDep, viewer: ViewerDep,
              k: Annotated[int, Query(ge=paths.K_RANGE[0], le=paths.K_RANGE[1])] = 5,
              max_hops: Annotated[int, Query(ge=paths.HOPS_RANGE[0], le=paths.HOPS_RANGE[1])] = 4,
              ) -> paths.PathsResult:
    """The best paths from our employees to this person, best first, distinct first hops first."""
    return paths.best_paths(store, viewer=viewer, target_id=person_id, k=k, max_hops=max_hops)
