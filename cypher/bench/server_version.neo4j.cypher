// Neo4j reports its own version and edition.
CALL dbms.components() YIELD versions, edition
RETURN versions[0] + ' ' + edition AS version
