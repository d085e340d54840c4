// Tests: lose every derived series, as a bad restore or a bug would.
MATCH (f:AccountSeries) DETACH DELETE f
