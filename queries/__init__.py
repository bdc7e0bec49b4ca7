"""Questions asked of the graph: named Cypher queries (`queries.registry`) and actor look-ups (`queries.lookup`)."""
