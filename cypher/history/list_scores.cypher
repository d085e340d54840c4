// A visible key person's Score records, newest first: by company day, then when recorded (of one
// day the last recorded stands), then instant (history is append-only).
MATCH (k:KeyPerson {id: $person_id})-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a:Account)
WITH k, a
WHERE $all OR a.id IN $visible
MATCH (k)-[:SCORED]->(s:Score)
RETURN s.id AS id, s.at AS at, s.day AS day, s.closeness AS closeness,
       s.solution_acceptance AS solution_acceptance, s.price_acceptance AS price_acceptance,
       s.actor AS actor, s.source AS source, s.recorded_at AS recorded_at
ORDER BY day DESC, recorded_at DESC, at DESC
