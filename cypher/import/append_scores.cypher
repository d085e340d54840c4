// History is append-only: a record is never changed; a correction is a new record (its own id)
// recorded later (graphbrm/score_records.py). A record whose id exists is not written again.
// `day` is the company day (its time zone) the record counts from: see graphbrm/clock.py.
UNWIND $rows AS r
MATCH (k:KeyPerson {id: r.person_id})
OPTIONAL MATCH (existing:Score {id: r.id})
WITH k, r, existing
WHERE existing IS NULL
CREATE (k)-[:SCORED]->(:Score {id: r.id, person_id: r.person_id, at: r.at, day: r.day,
                               closeness: r.closeness, solution_acceptance: r.solution_acceptance,
                               price_acceptance: r.price_acceptance, actor: $actor,
                               source: $source, recorded_at: $at})
