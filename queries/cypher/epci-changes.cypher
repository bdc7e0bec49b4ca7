// title: EPCI that joined or left between phase I and phase II
// description: Each EPCI covered by a territory in phase I or phase II: "stayed" (covered in
//   both), "left" (phase I only) or "joined" (phase II only), with the territories of each
//   phase. change keeps one of the three.
// params: change: stayed|left|joined = null
// columns: change, id, name, phase_i, phase_ii
MATCH (t:Territory)-[:COVERS]->(e:Epci)
WHERE t.phase IN ['I', 'II']
WITH DISTINCT e, t ORDER BY t.key LIMIT 1000000000
WITH e, collect(CASE WHEN t.phase = 'I' THEN 'territory:' + t.key ELSE '' END) AS phase_i_all,
     collect(CASE WHEN t.phase = 'II' THEN 'territory:' + t.key ELSE '' END) AS phase_ii_all
WITH e, [x IN phase_i_all WHERE x <> ''] AS phase_i, [x IN phase_ii_all WHERE x <> ''] AS phase_ii
WITH e, phase_i, phase_ii,
     CASE WHEN size(phase_i) = 0 THEN 'joined' WHEN size(phase_ii) = 0 THEN 'left' ELSE 'stayed' END AS change
WHERE coalesce($change, change) = change
RETURN change, 'epci:' + e.key AS id, e.name AS name, phase_i, phase_ii
ORDER BY change, name, id
