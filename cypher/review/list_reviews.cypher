// The recorded reviews of a visible account, newest first. No row at all when the account is
// missing or not visible; one row of nulls when it has no reviews yet.
MATCH (a:Account {id: $account_id})
WITH a
WHERE $all OR a.id IN $visible
OPTIONAL MATCH (r:Review)-[:REVIEWS]->(a)
WITH a, r, r.reviewer_id AS reviewer_id, r.rep_id AS rep_id
OPTIONAL MATCH (reviewer:Employee {id: reviewer_id})
OPTIONAL MATCH (rep:Employee {id: rep_id})
RETURN reviewer.name AS reviewer_name, rep.name AS rep_name, a.id AS account_id, r.id AS id, r.date AS date, r.reviewer_id AS reviewer_id,
       r.rep_id AS rep_id, r.notes AS notes, r.actions_json AS actions_json,
       r.figures_json AS figures_json, r.created_at AS created_at
ORDER BY date DESC, created_at DESC
