# The test copies the bundled gist.gprules next to index.rst before building.
extensions = ["gistpath.sphinxext"]
project = "gistpath test: GIST"
nitpicky = True
