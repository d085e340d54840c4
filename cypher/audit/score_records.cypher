// Every Score record of these key persons whose account the viewer sees.
UNWIND $person_ids AS person_id
MATCH (k:KeyPerson {id: person_id})
MATCH (k)-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a:Account)
WITH DISTINCT k, a WHERE $all OR a.id IN $visible
MATCH (k)-[:SCORED]->(s:Score)
RETURN s.id AS id, k.id AS person_id, s.at AS at, s.recorded_at AS recorded_at,
       s.actor AS actor, s.source AS source, s.closeness AS closeness,
       s.solution_acceptance AS solution_acceptance, s.price_acceptance AS price_acceptance
