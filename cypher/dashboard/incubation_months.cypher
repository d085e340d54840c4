// Opportunities of the accounts $ids created in [$since, $cut), per calendar month of their
// company day of creation.
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
WITH a WHERE $all OR a.id IN $visible
MATCH (o:Opportunity)-[:FOR]->(a)
WITH o WHERE o.created_day >= $since AND o.created_day < $cut
RETURN left(o.created_day, 7) AS period, count(o) AS count, sum(coalesce(o.amount, 0)) AS amount,
       sum(CASE WHEN o.qualified THEN 1 ELSE 0 END) AS qualified
ORDER BY period
