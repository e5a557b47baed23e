# The test writes variant.gprules next to index.rst before building.
extensions = ["gistpath.sphinxext"]
project = "gistpath test: a walk variant"
nitpicky = True
