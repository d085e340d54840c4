// Rebuild, for the accounts $ids, the days from which each of their key persons is influenced
// by one of our employees (the earliest company day `since_day` of the person's employee
// INFLUENCES ties; a tie without `since` counts from the start, as ''). The dashboard's
// influence potential as of T counts the entries before T (dashboard/overall_states) instead
// of walking every tie.
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
MERGE (f:AccountSeries {id: a.id})
WITH a, f
OPTIONAL MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(k:KeyPerson)<-[r:INFLUENCES]-(:Employee)
WITH f, k, min(coalesce(r.since_day, '')) AS since
WITH f, [day IN collect(CASE WHEN k IS NULL THEN null ELSE since END) WHERE day IS NOT NULL] AS days
SET f.influenced_since = days
