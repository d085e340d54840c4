MATCH (a:Account) RETURN a.id AS id ORDER BY id
