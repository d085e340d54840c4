// An edit through the API: a new Score record where only the dimensions in $fields take the
// sent values (the others keep the latest record's), and a RoleChange record when the decision
// role really changes; then the person's copy of its latest record is refreshed. One
// transaction, so a concurrent edit of another dimension is never lost halfway. No row (and no
// write) when the person does not exist or its account is not visible. The latest record is
// the one of the latest company day ($day: today in its time zone), then the one recorded
// last, then the latest instant: an edit corrects an earlier record of the same day.
MATCH (k:KeyPerson {id: $person_id})-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a:Account)
WITH k, a
WHERE $all OR a.id IN $visible
WITH k, k.decision_role AS role_before
FOREACH (_ IN CASE WHEN size($fields) > 0 THEN [1] ELSE [] END |
  CREATE (k)-[:SCORED]->(:Score {
    id: k.id + '@' + $at, person_id: k.id, at: $at, day: $day,
    closeness: CASE WHEN 'closeness' IN $fields THEN $scores.closeness ELSE k.closeness END,
    solution_acceptance: CASE WHEN 'solution_acceptance' IN $fields
                              THEN $scores.solution_acceptance ELSE k.solution_acceptance END,
    price_acceptance: CASE WHEN 'price_acceptance' IN $fields
                           THEN $scores.price_acceptance ELSE k.price_acceptance END,
    actor: $actor, source: $source, recorded_at: $at}))
FOREACH (_ IN CASE WHEN $role IS NOT NULL AND coalesce(role_before, '') <> $role
                   THEN [1] ELSE [] END |
  CREATE (:RoleChange {id: k.id + '@' + $at, person_id: k.id, at: $at, before: role_before,
                       after: $role, actor: $actor, source: $source})
  SET k.decision_role = $role)
WITH k
OPTIONAL MATCH (k)-[:SCORED]->(s:Score)
WITH k, collect(s) AS records
WITH k, reduce(latest = null, s IN records |
               CASE WHEN latest IS NULL OR s.day > latest.day
                         OR (s.day = latest.day
                                AND (s.recorded_at > latest.recorded_at
                                     OR (s.recorded_at = latest.recorded_at AND s.at > latest.at)))
                    THEN s ELSE latest END) AS s
SET k.closeness = s.closeness, k.solution_acceptance = s.solution_acceptance,
    k.price_acceptance = s.price_acceptance, k.scored_at = s.at
RETURN k.id AS id
