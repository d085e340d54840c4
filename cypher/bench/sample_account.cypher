// A typical key account to time: the first by id with a veto holder, and its owner.
MATCH (a:Account {tier: 'key'})<-[:ON_TEAM {role: 'owner'}]-(rep:Employee)
MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(k:KeyPerson {decision_role: 'veto'})
RETURN a.id AS account_id, k.id AS person_id, rep.id AS rep_id
ORDER BY account_id, person_id
LIMIT 1
