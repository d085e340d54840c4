MATCH (source)-[r:INFLUENCES]->(k:KeyPerson)
RETURN source.id AS from, k.id AS to, r.strength AS strength, r.since AS since
ORDER BY from, to
