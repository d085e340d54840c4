// Key persons of the accounts $ids, and how many of them at least one employee influences
// (an INFLUENCES tie formed by $cut).
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(k:KeyPerson)
WITH DISTINCT k
OPTIONAL MATCH (k)<-[r:INFLUENCES]-(e:Employee)
WITH k, sum(CASE WHEN e IS NOT NULL AND (r.since IS NULL OR r.since < $cut) THEN 1 ELSE 0 END) AS ties
RETURN count(k) AS key_persons, sum(CASE WHEN ties > 0 THEN 1 ELSE 0 END) AS influenced
