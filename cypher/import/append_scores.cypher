// History is append-only: an existing record (same person and time) is never changed.
UNWIND $rows AS r
MATCH (k:KeyPerson {id: r.person_id})
MERGE (s:Score {id: r.id})
ON CREATE SET s.person_id = r.person_id, s.at = r.at, s.closeness = r.closeness,
              s.solution_acceptance = r.solution_acceptance, s.price_acceptance = r.price_acceptance,
              s.actor = $actor, s.source = $source, s.recorded_at = $at
MERGE (k)-[:SCORED]->(s)
