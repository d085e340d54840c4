// Every stored record that belongs to a day, with the instant or date it was given: Score and
// Activity records (`at`), opportunities (`created_at`, `closed_at`) and ties with a `since`.
// graphbrm/derived.restamp_days derives their company days from these in Python, because the
// embedded store has no time zones.
MATCH (s:Score)
RETURN 'Score' AS kind, s.id AS id, null AS to_id, s.at AS at, null AS closed_at
UNION ALL
MATCH (act:Activity)
RETURN 'Activity' AS kind, act.id AS id, null AS to_id, act.at AS at, null AS closed_at
UNION ALL
MATCH (o:Opportunity)
RETURN 'Opportunity' AS kind, o.id AS id, null AS to_id, o.created_at AS at,
       o.closed_at AS closed_at
UNION ALL
MATCH (x)-[t:INFLUENCES|KNOWS]->(k:KeyPerson)
WHERE t.since IS NOT NULL
RETURN type(t) AS kind, x.id AS id, k.id AS to_id, t.since AS at, null AS closed_at
