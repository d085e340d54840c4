MATCH (k:KeyPerson)
OPTIONAL MATCH (k)-[:MEMBER_OF]->(d:Department)
OPTIONAL MATCH (k)-[:REPORTS_TO]->(m:KeyPerson)
RETURN k.id AS id, d.id AS department_id, k.name AS name, k.title AS title,
       k.decision_role AS decision_role, k.closeness AS closeness,
       k.solution_acceptance AS solution_acceptance, k.price_acceptance AS price_acceptance,
       k.scored_at AS scored_at, m.id AS reports_to
ORDER BY id
