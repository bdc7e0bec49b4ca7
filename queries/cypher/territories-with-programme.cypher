// title: Territories with a programme
// description: The territories of industry where an ANCT programme has a site (covering one of
//   their communes, directly or through its EPCI), with the number of sites and of communes
//   reached. Give the programme by key or ANCT code (pvd, fs…), id or name;
//   phase keeps one phase.
// params: programme: programme, phase: I|II = null
// columns: id, name, phase, sites, communes
// example: programme=pvd, phase=II
MATCH (p:Programme {key: $programme})
UNWIND [1, 2, 3, 4] AS branch
OPTIONAL MATCH (p)<-[:LABELLED]-(s1:Site)-[:COVERS]->(c1:Commune)<-[:COVERS]-(t1:Territory)
WHERE branch = 1 AND coalesce($phase, t1.phase) = t1.phase
OPTIONAL MATCH (p)<-[:LABELLED]-(s2:Site)-[:COVERS]->(:Epci)<-[:IN_EPCI]-(c2:Commune)<-[:COVERS]-(t2:Territory)
WHERE branch = 2 AND coalesce($phase, t2.phase) = t2.phase
OPTIONAL MATCH (p)<-[:LABELLED]-(s3:Site)-[:COVERS]->(c3:Commune)-[:IN_EPCI]->(:Epci)<-[:COVERS]-(t3:Territory)
WHERE branch = 3 AND coalesce($phase, t3.phase) = t3.phase
OPTIONAL MATCH (p)<-[:LABELLED]-(s4:Site)-[:COVERS]->(e:Epci)<-[:COVERS]-(t4:Territory)
WHERE branch = 4 AND coalesce($phase, t4.phase) = t4.phase
OPTIONAL MATCH (e)<-[:IN_EPCI]-(c4:Commune)
WITH coalesce(t1.key, t2.key, t3.key, t4.key) AS territory, coalesce(s1.key, s2.key, s3.key, s4.key) AS site,
     coalesce(c1.key, c2.key, c3.key, c4.key) AS commune
WHERE territory IS NOT NULL
WITH territory, count(DISTINCT site) AS sites, count(DISTINCT commune) AS communes
MATCH (t:Territory)
WHERE t.key = territory
RETURN 'territory:' + t.key AS id, t.name AS name, t.phase AS phase, sites, communes
ORDER BY sites DESC, communes DESC, id
