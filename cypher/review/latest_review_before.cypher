// The latest recorded review of a visible account dated strictly before $before.
MATCH (a:Account {id: $account_id})
WITH a
WHERE $all OR a.id IN $visible
MATCH (r:Review)-[:REVIEWS]->(a)
WITH a, r
WHERE r.date < $before
RETURN a.id AS account_id, r.id AS id, r.date AS date, r.reviewer_id AS reviewer_id,
       r.rep_id AS rep_id, r.notes AS notes, r.actions_json AS actions_json,
       r.figures_json AS figures_json, r.created_at AS created_at
ORDER BY date DESC, created_at DESC
LIMIT 1
