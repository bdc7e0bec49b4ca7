// title: Figures about an actor
// description: The figures (counts, amounts, shares) the documents state about one actor: a
//   region, a territory, a programme, an operator. Give the actor by id or name.
// params: actor: id
// columns: id, name, value, unit, date, sources
// example: actor=region:32
MATCH (f:Figure)-[:DESCRIBES]->(a)
WHERE a.key = $actor_key AND toLower(head(labels(a))) = $actor_kind
RETURN 'figure:' + f.key AS id, f.name AS name, f.value AS value, f.unit AS unit, f.date AS date,
       f.sources AS sources
ORDER BY date, id
