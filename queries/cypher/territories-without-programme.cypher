// title: Territories with no other programme
// description: The territories of industry where no ANCT programme has a site: none of their
//   communes is covered by a site, directly or through its EPCI. Phase keeps one phase.
// params: phase: I|II = null
// columns: id, name, phase, official_id
MATCH (t:Territory)
WHERE coalesce($phase, t.phase) = t.phase
  AND (EXISTS { MATCH (t)-[:COVERS]->(:Commune) } OR EXISTS { MATCH (t)-[:COVERS]->(:Epci)<-[:IN_EPCI]-(:Commune) })
  AND NOT EXISTS { MATCH (t)-[:COVERS]->(:Commune)<-[:COVERS]-(:Site) }
  AND NOT EXISTS { MATCH (t)-[:COVERS]->(:Commune)-[:IN_EPCI]->(:Epci)<-[:COVERS]-(:Site) }
  AND NOT EXISTS { MATCH (t)-[:COVERS]->(:Epci)<-[:IN_EPCI]-(:Commune)<-[:COVERS]-(:Site) }
  AND NOT EXISTS { MATCH (t)-[:COVERS]->(e:Epci)<-[:COVERS]-(:Site), (e)<-[:IN_EPCI]-(:Commune) }
RETURN 'territory:' + t.key AS id, t.name AS name, t.phase AS phase, t.official_id AS official_id
ORDER BY phase, official_id, id
