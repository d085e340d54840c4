UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(t:KeyPerson)<-[r:INFLUENCES]-(s:Employee)
RETURN collect(s.id) AS sources, collect(t.id) AS targets, collect([r.strength, r.since]) AS props
