// title: Communes in the most programmes
// description: The communes reached by the most ANCT programmes: a site covering the commune,
//   or the EPCI it belongs to. Lists the programmes' codes and counts the sites.
// params: limit: int = 20
// columns: id, name, programmes, codes, sites
MATCH (p:Programme)<-[:LABELLED]-(s:Site)-[:COVERS]->()<-[:IN_EPCI*0..1]-(c:Commune)
WITH c, collect(DISTINCT p.code) AS codes, count(DISTINCT s) AS sites
RETURN 'commune:' + c.key AS id, c.name AS name, size(codes) AS programmes, codes, sites
ORDER BY programmes DESC, sites DESC, id
LIMIT $limit
