// title: Territories with no other programme
// description: The territories of industry where no ANCT programme has a site: none of their
//   communes is covered by a site, directly or through its EPCI. Phase keeps one phase.
// params: phase: str = null
// columns: id, name, phase, official_id
MATCH (t:Territory)
WHERE coalesce($phase, t.phase) = t.phase
  AND (EXISTS { MATCH (t)-[:COVERS]->(:Commune) } OR EXISTS { MATCH (t)-[:COVERS]->(:Epci)<-[:IN_EPCI]-(:Commune) })
OPTIONAL MATCH (t)-[:COVERS]->(:Commune)<-[:COVERS]-(s1:Site)
WITH t, count(s1) AS direct
OPTIONAL MATCH (t)-[:COVERS]->(:Commune)-[:IN_EPCI]->(:Epci)<-[:COVERS]-(s2:Site)
WITH t, direct, count(s2) AS through_epci
OPTIONAL MATCH (t)-[:COVERS]->(:Epci)<-[:IN_EPCI]-(:Commune)<-[:COVERS]-(s3:Site)
WITH t, direct, through_epci, count(s3) AS in_epci
OPTIONAL MATCH (t)-[:COVERS]->(e:Epci)<-[:COVERS]-(s4:Site)
WHERE EXISTS { MATCH (e)<-[:IN_EPCI]-(:Commune) }
WITH t, direct, through_epci, in_epci, count(s4) AS same_epci
WHERE direct + through_epci + in_epci + same_epci = 0
RETURN 'territory:' + t.key AS id, t.name AS name, t.phase AS phase, t.official_id AS official_id
ORDER BY phase, official_id, id
