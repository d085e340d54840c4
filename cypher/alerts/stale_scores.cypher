// Rule 6: veto holders and approvers whose latest Score record is of a company day before
// $before (or who have none), with their account and that day.
MATCH (k:KeyPerson)
WHERE k.decision_role IN ['veto', 'approver']
MATCH (k)-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a:Account)
OPTIONAL MATCH (k)-[:SCORED]->(s:Score)
WITH k, a, max(s.day) AS last_day
WHERE last_day IS NULL OR last_day < $before
RETURN k.id AS id, k.name AS name, k.decision_role AS decision_role, a.id AS account_id,
       a.name AS account_name, last_day
ORDER BY k.id
