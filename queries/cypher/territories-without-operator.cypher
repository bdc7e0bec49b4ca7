// title: Territories where an operator is absent
// description: The territories with no relationship to an operator, neither directly nor
//   through a project located in them: where Banque des Territoires or Bpifrance is not (yet)
//   seen at work. Give the operator by key, name or id; phase keeps one phase.
// params: operator: str, phase: str = null
// columns: id, name, phase, official_id
MATCH (o:Operator)
WHERE $operator IN [o.key, o.name, 'operator:' + o.key]
MATCH (t:Territory)
WHERE coalesce($phase, t.phase) = t.phase
  AND NOT EXISTS { MATCH (o)-[]-(x)-[:LOCATED_IN*0..1]->(t) }
RETURN 'territory:' + t.key AS id, t.name AS name, t.phase AS phase, t.official_id AS official_id
ORDER BY phase, official_id, id
