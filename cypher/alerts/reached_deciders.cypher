// Rule 4's state, for a list of accounts: each account's key persons whose decision role is in
// $roles, and whether one of our employees reaches them within 4 hops as docs/method.md and
// cypher/paths/best_paths define a reach path (an employee's INFLUENCES or KNOWS tie, then
// person→person INFLUENCES). Reachability only: strengths do not matter here.
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(k:KeyPerson)
WITH DISTINCT a, k
WHERE k.decision_role IN $roles
OPTIONAL MATCH (:Employee)-[:INFLUENCES|KNOWS]->(first:KeyPerson)-[:INFLUENCES*0..3]->(k)
WITH a, k, count(first) AS ways
RETURN a.id AS account_id, a.name AS account_name, k.id AS id, k.name AS name,
       k.decision_role AS decision_role, ways > 0 AS reached
