// The key accounts the bench draws from: each with its owner (the rep who runs its monthly
// review) and its veto holders (targets of the reach paths), by id so that a seed repeats.
MATCH (a:Account {tier: 'key'})<-[:ON_TEAM {role: 'owner'}]-(rep:Employee)
OPTIONAL MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(k:KeyPerson {decision_role: 'veto'})
WITH a, rep, k ORDER BY k.id
RETURN a.id AS account_id, rep.id AS rep_id, collect(k.id) AS veto_ids
ORDER BY account_id
