// title: Events and who took part
// description: Launches, steering committees, signatures and assemblies with the actors that
//   took part (TOOK_PART) and their role. event (key, id or name) keeps one event; since (a date)
//   keeps the events held on or after it.
// params: event: event = null, since: date = null
// columns: event_id, event, date, participant_id, participant, participant_kind, role, sources
MATCH (e:Event)
WHERE coalesce($event, e.key) = e.key
  AND coalesce(e.date, '') >= coalesce($since, '')
OPTIONAL MATCH (p)-[t:TOOK_PART]->(e)
RETURN 'event:' + e.key AS event_id, e.name AS event, e.date AS date,
       CASE WHEN p IS NULL THEN null ELSE toLower(head(labels(p))) + ':' + p.key END AS participant_id, p.name AS participant,
       head(labels(p)) AS participant_kind, t.role AS role, t.sources AS sources
ORDER BY date, event, participant_kind, participant
