// title: Operators and the territories they work in
// description: Each operator (Banque des Territoires, Bpifrance…) with the territories it is
//   linked to, directly (supports, funds, partners…) or through a project located in the
//   territory (through names that project). operator (key, id or name) and phase narrow the list.
// params: operator: operator = null, phase: I|II = null
// columns: operator_id, operator, relation, territory_id, territory, phase, through, role, sources
MATCH (o:Operator)-[r]-(x)-[:LOCATED_IN*0..1]->(t:Territory)
WHERE coalesce($operator, o.key) = o.key
  AND coalesce($phase, t.phase) = t.phase
RETURN 'operator:' + o.key AS operator_id, o.name AS operator, type(r) AS relation,
       'territory:' + t.key AS territory_id, t.name AS territory, t.phase AS phase,
       CASE WHEN x = t THEN null ELSE toLower(head(labels(x))) + ':' + x.key END AS through,
       r.role AS role, r.sources AS sources
ORDER BY operator, territory_id, relation, through
