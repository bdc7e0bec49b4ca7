// title: EPCI in the most programmes
// description: The EPCI (and EPT) reached by the most ANCT programmes: a site covering the EPCI
//   itself or one of its communes. Lists the programmes' codes and counts the sites.
// params: limit: int >= 1 = 20
// columns: id, name, type, programmes, codes, sites
// example: limit=5
MATCH (s:Site)-[:COVERS]->(x:Commune|Epci)
MATCH (s)-[:LABELLED]->(p:Programme)
OPTIONAL MATCH (x)-[:IN_EPCI]->(parent:Epci)
UNWIND [CASE WHEN head(labels(x)) = 'Epci' THEN x.key END, parent.key] AS epci
WITH epci, collect(DISTINCT p.code) AS codes, count(DISTINCT s) AS sites
WHERE epci IS NOT NULL
WITH epci, codes, sites ORDER BY size(codes) DESC, sites DESC, epci LIMIT $limit
UNWIND codes AS code
WITH epci, sites, code ORDER BY code LIMIT 1000000000
WITH epci, sites, collect(code) AS codes
MATCH (e:Epci)
WHERE e.key = epci
RETURN 'epci:' + e.key AS id, e.name AS name, e.type AS type, size(codes) AS programmes, codes, sites
ORDER BY programmes DESC, sites DESC, id
LIMIT $limit
