// The scores on each KeyPerson (the copy of its standing Score record), and their date: none
// when the person has no record yet.
UNWIND $ids AS id
MATCH (k:KeyPerson {id: id})
RETURN k.id AS id, k.closeness AS closeness, k.solution_acceptance AS solution_acceptance,
       k.price_acceptance AS price_acceptance, k.scored_at AS scored_at
