"""Draw the graph and export it.

`viz.views` chooses what to show, `viz.measures` sizes and groups the actors (`viz.importance`
ranks them by what documents and programmes say), `viz.fold` folds communes into their EPCI,
`viz.reduce` keeps large views usable, `viz.build` turns a view into plain data (`viz.tooltips`
writes its tooltips), `viz.html` renders that as an offline page, and `viz.pages.draw_page` does
all of it in one call. `viz.export` and `viz.neo4j_export` write GraphML, GEXF, JSON, neo4j-admin
CSV and Cypher.
"""
