// title: Territories where an operator is absent
// description: The territories with no relationship to an operator, neither directly nor
//   through a project located in them: where Banque des Territoires or Bpifrance is not (yet)
//   seen at work. Give the operator by key, id or name; phase keeps one phase.
// params: operator: operator, phase: I|II = null
// columns: id, name, phase, official_id
// example: operator=bpifrance
MATCH (o:Operator {key: $operator})
OPTIONAL MATCH (o)-[]-(t1:Territory)
WITH o, collect(t1.key) AS direct
OPTIONAL MATCH (o)-[]-(x)-[:LOCATED_IN]->(t2:Territory)
WITH direct, collect(t2.key) AS through
MATCH (t:Territory)
WHERE coalesce($phase, t.phase) = t.phase
  AND NOT t.key IN direct AND NOT t.key IN through
RETURN 'territory:' + t.key AS id, t.name AS name, t.phase AS phase, t.official_id AS official_id
ORDER BY phase, official_id, id
