// The accounts whose reach a tie into key person $person_id can carry: its own, and those of the
// persons it influences within 3 more hops (a reach path has at most 4). For the alert rules,
// which see every account, so not scoped.
MATCH (k:KeyPerson {id: $person_id})-[:INFLUENCES*0..3]->(d:KeyPerson)
WITH DISTINCT d
MATCH (d)-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a:Account)
RETURN DISTINCT a.id AS id
