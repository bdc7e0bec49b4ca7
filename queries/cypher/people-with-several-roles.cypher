// title: People who hold roles in several organisations
// description: People with a role (HOLDS_ROLE) in at least min_roles organisations: the
//   interlocks that tie bodies together (a mayor who also chairs an EPCI, a minister who also
//   leads a network…), with the organisations and the roles.
// params: min_roles: int >= 1 = 2
// columns: person_id, person, organisations, organisation_ids, roles
MATCH (p:Person)-[r:HOLDS_ROLE]->(o)
WITH p, r, o ORDER BY o.key, r.role LIMIT 1000000000
WITH p, count(DISTINCT o) AS organisations,
     collect(DISTINCT toLower(head(labels(o))) + ':' + o.key) AS organisation_ids,
     collect(coalesce(r.role, '?') + ' (' + o.name + ')') AS roles
WHERE organisations >= $min_roles
RETURN 'person:' + p.key AS person_id, p.name AS person, organisations, organisation_ids, roles
ORDER BY organisations DESC, person, person_id
