// Record a monthly review of a visible account; no row (and no write) when it is not visible.
MATCH (a:Account {id: $account_id})
WITH a
WHERE $all OR a.id IN $visible
CREATE (r:Review {id: $id, date: $date, reviewer_id: $reviewer_id, rep_id: $rep_id,
                  notes: $notes, actions_json: $actions_json, figures_json: $figures_json,
                  created_at: $created_at})-[:REVIEWS]->(a)
RETURN r.id AS id
