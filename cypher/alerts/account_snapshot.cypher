// The state that event rules compare before and after a write, for a list of accounts: each
// account's name and tier, and its key persons with their role and current scores (the
// person's copy of its latest Score record).
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
OPTIONAL MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(k:KeyPerson)
WITH a, collect(DISTINCT k) AS persons
RETURN a.id AS id, a.name AS name, a.tier AS tier,
       [k IN persons | {id: k.id, name: k.name, decision_role: k.decision_role,
                        closeness: k.closeness, solution_acceptance: k.solution_acceptance,
                        price_acceptance: k.price_acceptance}] AS persons
