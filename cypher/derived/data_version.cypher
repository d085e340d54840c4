// The number of writes so far (0 before the first): the key of every cached report.
OPTIONAL MATCH (v:DataVersion {id: 'graph'})
RETURN coalesce(v.n, 0) AS version
