"""Draw the graph: `viz.build` turns it into plain data, `viz.html` renders that as an offline page."""
