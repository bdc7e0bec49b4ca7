// title: Actors located in a region
// description: Everything located in a region, directly or through its departments, EPCI,
//   communes and territories (IN_REGION, IN_DEPARTMENT, IN_EPCI, LOCATED_IN, COVERS), with its
//   kind and the number of steps from the region. Give the region by code, id or name (32,
//   region:32, Hauts de France); kind keeps one kind (project, epci…).
// params: region: region, kind: kind = null
// columns: id, kind, name, steps
// example: region=32
MATCH (r:Region {key: $region})
MATCH p = (n)-[:IN_REGION|IN_DEPARTMENT|IN_EPCI|LOCATED_IN|COVERS*1..3]->(r)
WITH n, min(length(p)) AS steps
WHERE toLower(coalesce($kind, head(labels(n)))) = toLower(head(labels(n)))
MATCH (m) WHERE m = n
RETURN toLower(head(labels(m))) + ':' + m.key AS id, head(labels(m)) AS kind, m.name AS name, steps
ORDER BY steps, kind, name, id
