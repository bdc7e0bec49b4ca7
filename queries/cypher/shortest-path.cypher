// title: Shortest path between two actors
// description: How two actors are connected: the fewest relationships (up to 8, in either
//   direction) between them, with the ids, names and kinds of the actors along the path and
//   the types of the relationships. Give both actors by id or name (operator:bpifrance, Hauts de France).
// params: from_id: id, to_id: id
// columns: hops, ids, names, types
// example: from_id=person:francois-blouvac, to_id=region:32
MATCH (a)
WHERE a.key = $from_id_key AND toLower(head(labels(a))) = $from_id_kind
MATCH (b)
WHERE b.key = $to_id_key AND toLower(head(labels(b))) = $to_id_kind
MATCH p = shortestPath((a)-[ties*..8]-(b))
// names before ids: on the embedded engine, a list built with + from a path's inner nodes comes
// out empty when another list is built from them after it (LadybugDB 0.22)
RETURN length(p) AS hops,
       [n IN nodes(p) | n.name] AS names,
       [n IN nodes(p) | toLower(head(labels(n))) + ':' + n.key] AS ids,
       [r IN relationships(p) | type(r)] AS types
ORDER BY hops
