// Record the monthly review of a visible account: one per account, day and reviewer. Recording
// it again updates that review (same id and created_at) and `created` is false. No row (and no
// write) when the account is not visible.
MATCH (a:Account {id: $account_id})
WITH a
WHERE $all OR a.id IN $visible
// Writing the account first takes its write lock (Neo4j) until this transaction commits, so a
// concurrent recording for the same account waits here, then its MERGE finds this review.
// FalkorDB runs one write query at a time, so there the MERGE alone is enough.
SET a.id = a.id
WITH a
// The names are looked up before the MERGE: FalkorDB cannot match on the new node's properties.
OPTIONAL MATCH (reviewer:Employee {id: $reviewer_id})
OPTIONAL MATCH (rep:Employee {id: $rep_id})
MERGE (r:Review {date: $date, reviewer_id: $reviewer_id})-[:REVIEWS]->(a)
ON CREATE SET r.id = $id, r.created_at = $created_at
SET r.rep_id = $rep_id, r.notes = $notes, r.actions_json = $actions_json,
    r.figures_json = $figures_json
RETURN r.id AS id, r.created_at AS created_at, r.id = $id AS created,
       reviewer.name AS reviewer_name, rep.name AS rep_name
