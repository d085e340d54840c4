MATCH (k:KeyPerson)-[:SCORED]->(s:Score)
RETURN k.id AS person_id, s.at AS at, s.closeness AS closeness,
       s.solution_acceptance AS solution_acceptance, s.price_acceptance AS price_acceptance
ORDER BY person_id, at
