// title: Companies carrying projects in several territories
// description: Companies that carry (CARRIES) projects located in at least min_territories
//   territories: in the territory itself, or in an EPCI or commune it covers. phase keeps the
//   territories of one phase.
// params: min_territories: int >= 1 = 2, phase: I|II = null
// columns: id, name, territories, territory_ids, projects
MATCH (c:Company)-[:CARRIES]->(p:Project)-[:LOCATED_IN]->(place)
OPTIONAL MATCH (place)<-[:COVERS*0..1]-(t1:Territory)
WHERE coalesce($phase, t1.phase) = t1.phase
OPTIONAL MATCH (place)-[:IN_EPCI]->(:Epci)<-[:COVERS]-(t2:Territory)
WHERE coalesce($phase, t2.phase) = t2.phase
WITH c, p, [k IN collect(t1.key) + collect(t2.key) WHERE k IS NOT NULL] AS keys
UNWIND keys AS key
WITH c, p, key ORDER BY key, p.key LIMIT 1000000000
WITH c, count(DISTINCT key) AS territories, collect(DISTINCT 'territory:' + coalesce(key, '')) AS territory_ids,
     collect(DISTINCT 'project:' + p.key) AS projects
WHERE territories >= $min_territories
RETURN 'company:' + c.key AS id, c.name AS name, territories, territory_ids, projects
ORDER BY territories DESC, name, id
