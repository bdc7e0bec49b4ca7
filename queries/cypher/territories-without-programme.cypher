// title: Territories with no other programme
// description: The territories of industry where no ANCT programme has a site: none of their
//   communes is covered by a site, directly or through its EPCI. Phase keeps one phase.
// params: phase: str = null
// columns: id, name, phase, official_id
MATCH (t:Territory)-[:COVERS]->()<-[:IN_EPCI*0..1]-(c:Commune)
WHERE coalesce($phase, t.phase) = t.phase
WITH DISTINCT t, c
OPTIONAL MATCH (c)-[:IN_EPCI*0..1]->()<-[:COVERS]-(s:Site)
WITH t, count(s) AS sites
WHERE sites = 0
RETURN 'territory:' + t.key AS id, t.name AS name, t.phase AS phase, t.official_id AS official_id
ORDER BY phase, official_id, id
