"""The command groups of the ``tdi`` CLI, one module per topic; ``cli.py`` assembles them."""
