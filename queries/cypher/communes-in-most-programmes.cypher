// title: Communes in the most programmes
// description: The communes reached by the most ANCT programmes: a site covering the commune,
//   or the EPCI it belongs to. Lists the programmes' codes and counts the sites.
// params: limit: int >= 1 = 20
// columns: id, name, programmes, codes, sites
MATCH (s:Site)-[:COVERS]->(x:Commune|Epci)
MATCH (s)-[:LABELLED]->(p:Programme)
OPTIONAL MATCH (x)<-[:IN_EPCI]-(member:Commune)
WITH p, s, CASE head(labels(x)) WHEN 'Commune' THEN x.key WHEN 'Epci' THEN member.key END AS commune
WHERE commune IS NOT NULL
WITH commune, collect(DISTINCT p.code) AS codes, count(DISTINCT s) AS sites
WHERE size(codes) > 0
WITH commune, codes, sites ORDER BY size(codes) DESC, sites DESC, commune LIMIT $limit
UNWIND codes AS code
WITH commune, sites, code ORDER BY code LIMIT 1000000000
WITH commune, sites, collect(code) AS codes
MATCH (c:Commune)
WHERE c.key = commune
RETURN 'commune:' + c.key AS id, c.name AS name, size(codes) AS programmes, codes, sites
ORDER BY programmes DESC, sites DESC, id
LIMIT $limit
