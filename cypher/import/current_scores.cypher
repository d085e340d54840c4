UNWIND $ids AS id
MATCH (k:KeyPerson {id: id})
RETURN k.id AS id, k.closeness AS closeness, k.solution_acceptance AS solution_acceptance,
       k.price_acceptance AS price_acceptance
