// Every Score record of these key persons: the import compares a bundle's score rows with them
// (a row already recorded, a correction of one, or a new record).
UNWIND $ids AS id
MATCH (k:KeyPerson {id: id})-[:SCORED]->(s:Score)
RETURN k.id AS person_id, s.at AS at, s.recorded_at AS recorded_at, s.closeness AS closeness,
       s.solution_acceptance AS solution_acceptance, s.price_acceptance AS price_acceptance
