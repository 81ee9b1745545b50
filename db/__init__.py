"""Tables, migrations, engine selection and seed data."""

import os

# Piccolo's migration runner finds its engine through this module; db.engine.bind() keeps the
# engine it holds in step with the one the tables use.
os.environ.setdefault("PICCOLO_CONF", "db.piccolo_conf")
