// Edges of the map: the customer's own lines and influence, our team and our ties into it.
MATCH (a:Account {id: $account_id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(k:KeyPerson)
WITH a, collect(DISTINCT k) AS persons
UNWIND persons AS k
MATCH (k)<-[r:REPORTS_TO|INFLUENCES|KNOWS]-(source)
WHERE source:Employee OR source IN persons
RETURN source.id AS source, k.id AS target, type(r) AS type, r.strength AS strength,
       labels(source)[0] AS source_label, source.name AS source_name, source.title AS source_title
UNION
MATCH (a:Account {id: $account_id})
WITH a WHERE $all OR a.id IN $visible
MATCH (e:Employee)-[t:ON_TEAM]->(a)
RETURN e.id AS source, a.id AS target, 'ON_TEAM' AS type, null AS strength,
       'Employee' AS source_label, e.name AS source_name, t.role AS source_title
