// title: EPCI of a territory
// description: The intercommunalities a territory covers (COVERS), with their type,
//   population and the phase of the coverage. Give the territory by key, name or id.
// params: territory: territory
// columns: id, name, type, population, phase, sources
// example: territory=I-ti-3204
MATCH (t:Territory {key: $territory})-[c:COVERS]->(e:Epci)
RETURN 'epci:' + e.key AS id, e.name AS name, e.type AS type, e.population AS population,
       coalesce(c.phase, t.phase) AS phase, c.sources AS sources
ORDER BY name, id
