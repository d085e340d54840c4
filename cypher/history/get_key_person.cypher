// One key person with its department and account, when the viewer may see the account.
// The scores are the person's copy of its latest Score record.
MATCH (k:KeyPerson {id: $person_id})-[:MEMBER_OF]->(d:Department)-[:PART_OF*1..8]->(a:Account)
WITH k, d, a
WHERE $all OR a.id IN $visible
RETURN k.id AS id, k.name AS name, k.title AS title, k.decision_role AS decision_role,
       d.id AS department_id, d.name AS department, a.id AS account_id, a.name AS account_name,
       k.closeness AS closeness, k.solution_acceptance AS solution_acceptance,
       k.price_acceptance AS price_acceptance, k.scored_at AS scored_at
