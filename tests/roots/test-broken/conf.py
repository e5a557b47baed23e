extensions = ["gistpath.sphinxext"]
project = "gistpath test: rule files that do not load"
