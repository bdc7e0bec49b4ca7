// title: Territories with a programme
// description: The territories of industry where an ANCT programme has a site (covering one of
//   their communes, directly or through its EPCI), with the number of sites and of communes
//   reached. Give the programme by key, ANCT code (pvd, fs…), name or id; phase keeps one phase.
// params: programme: str, phase: str = null
// columns: id, name, phase, sites, communes
// example: programme=pvd, phase=II
MATCH (p:Programme)
WHERE p.key = $programme OR p.code = $programme OR p.name = $programme OR 'programme:' + p.key = $programme
MATCH (t:Territory)
WHERE coalesce($phase, t.phase) = t.phase
OPTIONAL MATCH (t)-[:COVERS]->(c1:Commune)<-[:COVERS]-(s1:Site)-[:LABELLED]->(p)
WITH p, t, collect(s1.key) AS sites1, collect(c1.key) AS communes1
OPTIONAL MATCH (t)-[:COVERS]->(c2:Commune)-[:IN_EPCI]->(:Epci)<-[:COVERS]-(s2:Site)-[:LABELLED]->(p)
WITH p, t, sites1, communes1, collect(s2.key) AS sites2, collect(c2.key) AS communes2
OPTIONAL MATCH (t)-[:COVERS]->(:Epci)<-[:IN_EPCI]-(c3:Commune)<-[:COVERS]-(s3:Site)-[:LABELLED]->(p)
WITH p, t, sites1, communes1, sites2, communes2, collect(s3.key) AS sites3, collect(c3.key) AS communes3
OPTIONAL MATCH (t)-[:COVERS]->(e:Epci)<-[:COVERS]-(s4:Site)-[:LABELLED]->(p)
OPTIONAL MATCH (e)<-[:IN_EPCI]-(c4:Commune)
WITH t, sites1 + sites2 + sites3 AS some_sites, communes1 + communes2 + communes3 AS some_communes,
     collect(s4.key) AS sites4, collect(c4.key) AS communes4
WITH t, some_sites + sites4 AS sites, some_communes + communes4 AS communes
WHERE size(sites) > 0
UNWIND sites AS site
WITH t, communes, count(DISTINCT site) AS sites
UNWIND communes AS commune
WITH t, sites, count(DISTINCT commune) AS communes
RETURN 'territory:' + t.key AS id, t.name AS name, t.phase AS phase, sites, communes
ORDER BY sites DESC, communes DESC, id
