// title: Programmes present in a territory
// description: The ANCT programmes (Petites villes de demain, France services…) with a site in a
//   territory of industry: a site covering one of its communes, directly or through the EPCI the
//   commune belongs to. Counts the sites and the territory's communes they reach. Give the
//   territory by key, id or name.
// params: territory: territory
// columns: id, programme, code, sites, communes
// example: territory=I-ti-3204
MATCH (t:Territory {key: $territory})
MATCH (t)-[:COVERS]->()<-[:IN_EPCI*0..1]-(c:Commune)
WITH DISTINCT c
MATCH (c)-[:IN_EPCI*0..1]->()<-[:COVERS]-(s:Site)-[:LABELLED]->(p:Programme)
RETURN 'programme:' + p.key AS id, p.name AS programme, p.code AS code,
       count(DISTINCT s) AS sites, count(DISTINCT c) AS communes
ORDER BY sites DESC, communes DESC, code
