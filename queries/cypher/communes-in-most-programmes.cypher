// title: Communes in the most programmes
// description: The communes reached by the most ANCT programmes: a site covering the commune,
//   or the EPCI it belongs to. Lists the programmes' codes and counts the sites.
// params: limit: int = 20
// columns: id, name, programmes, codes, sites
MATCH (c:Commune)
OPTIONAL MATCH (c)<-[:COVERS]-(s1:Site)-[:LABELLED]->(p1:Programme)
WITH c, collect(p1.code) AS codes1, collect(s1.key) AS sites1
OPTIONAL MATCH (c)-[:IN_EPCI]->(:Epci)<-[:COVERS]-(s2:Site)-[:LABELLED]->(p2:Programme)
WITH c, codes1, sites1, collect(p2.code) AS codes2, collect(s2.key) AS sites2
WITH c, codes1 + codes2 AS codes, sites1 + sites2 AS sites
WHERE size(sites) > 0
UNWIND codes AS code
WITH DISTINCT c, sites, code
WITH c, sites, code ORDER BY code LIMIT 1000000000
WITH c, sites, collect(code) AS codes
UNWIND sites AS site
WITH c, codes, count(DISTINCT site) AS sites
RETURN 'commune:' + c.key AS id, c.name AS name, size(codes) AS programmes, codes, sites
ORDER BY programmes DESC, sites DESC, id
LIMIT $limit
