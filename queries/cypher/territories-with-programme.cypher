// title: Territories with a programme
// description: The territories of industry where an ANCT programme has a site (covering one of
//   their communes, directly or through its EPCI), with the number of sites and of communes
//   reached. Give the programme by key, ANCT code (pvd, fs…), name or id; phase keeps one phase.
// params: programme: str, phase: str = null
// columns: id, name, phase, sites, communes
MATCH (p:Programme)
WHERE $programme IN [p.key, p.code, p.name, 'programme:' + p.key]
MATCH (p)<-[:LABELLED]-(s:Site)-[:COVERS]->()<-[:IN_EPCI*0..1]-(c:Commune)
WITH DISTINCT s, c
MATCH (c)-[:IN_EPCI*0..1]->()<-[:COVERS]-(t:Territory)
WHERE coalesce($phase, t.phase) = t.phase
RETURN 'territory:' + t.key AS id, t.name AS name, t.phase AS phase,
       count(DISTINCT s) AS sites, count(DISTINCT c) AS communes
ORDER BY sites DESC, communes DESC, id
