// Record a monthly review of a visible account; no row (and no write) when it is not visible.
// The names are looked up before the CREATE: FalkorDB cannot match on the new node's properties.
MATCH (a:Account {id: $account_id})
WITH a
WHERE $all OR a.id IN $visible
OPTIONAL MATCH (reviewer:Employee {id: $reviewer_id})
OPTIONAL MATCH (rep:Employee {id: $rep_id})
CREATE (r:Review {id: $id, date: $date, reviewer_id: $reviewer_id, rep_id: $rep_id,
                  notes: $notes, actions_json: $actions_json, figures_json: $figures_json,
                  created_at: $created_at})-[:REVIEWS]->(a)
RETURN r.id AS id, reviewer.name AS reviewer_name, rep.name AS rep_name
