// title: Roles of people
// description: Who holds which role in which organisation (HOLDS_ROLE), with its dates and
//   sources. person and organisation (id or name; a person also by key) narrow the list; at
//   (a date) keeps the roles held on that date: begun by then (or undated) and not yet ended.
// params: person: person = null, organisation: id = null, at: date = null
// columns: person_id, person, role, organisation_id, organisation, organisation_kind, since, until, sources
MATCH (p:Person)-[r:HOLDS_ROLE]->(o)
WHERE coalesce($person, p.key) = p.key
  AND ($organisation IS NULL OR (o.key = $organisation_key AND toLower(head(labels(o))) = $organisation_kind))
  AND coalesce(r.since, '') <= coalesce($at, '9999')
  AND coalesce(r.until, '9999') >= coalesce($at, '')
RETURN 'person:' + p.key AS person_id, p.name AS person, r.role AS role,
       toLower(head(labels(o))) + ':' + o.key AS organisation_id, o.name AS organisation,
       head(labels(o)) AS organisation_kind, r.since AS since, r.until AS until, r.sources AS sources
ORDER BY person, organisation, since
