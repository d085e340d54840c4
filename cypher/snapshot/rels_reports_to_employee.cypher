// Our own line: every employee, whoever asks.
MATCH (s:Employee)-[:REPORTS_TO]->(t:Employee)
RETURN collect(s.id) AS sources, collect(t.id) AS targets
