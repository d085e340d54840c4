// An employee's activities on the company days in [$since, $cut), newest first. Only persons
// on accounts the viewer can see are listed; an activity whose persons are all hidden is left
// out entirely.
MATCH (e:Employee {id: $employee_id})<-[:BY]-(act:Activity)
WITH e, act WHERE act.day >= $since AND act.day < $cut
OPTIONAL MATCH (act)-[:WITH]->(k:KeyPerson)-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a:Account)
WITH e, act, count(k) AS persons,
     collect(DISTINCT CASE WHEN $all OR a.id IN $visible THEN k.id END) AS person_ids
WHERE persons = 0 OR size(person_ids) > 0
RETURN act.id AS id, e.id AS employee_id, act.kind AS kind, act.type AS type, act.at AS at,
       act.day AS day, act.note AS note, person_ids, act.actor AS actor,
       act.recorded_at AS recorded_at
ORDER BY day DESC, at DESC, id DESC
