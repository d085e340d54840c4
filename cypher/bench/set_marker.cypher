// Written before the bench imports its company (complete: false) and again after it.
MERGE (m:BenchCompany {id: 'bench'})
SET m.scale = $scale, m.seed = $seed, m.complete = $complete
RETURN m.id AS id
