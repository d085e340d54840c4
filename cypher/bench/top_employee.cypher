// The head of our line (reports to nobody), who signs in as the executive of the bench.
MATCH (e:Employee)
WHERE NOT (e)-[:REPORTS_TO]->(:Employee)
RETURN e.id AS id
ORDER BY id
LIMIT 1
