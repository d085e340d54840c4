// The key persons of one account, only when the viewer sees it (no row when not).
MATCH (a:Account {id: $account_id})
WITH a WHERE $all OR a.id IN $visible
OPTIONAL MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(k:KeyPerson)
RETURN a.id AS account_id, collect(DISTINCT k.id) AS person_ids
