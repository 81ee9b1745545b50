"""Piccolo's configuration module. The engine here is replaced by db.engine.bind()."""

from piccolo.conf.apps import AppRegistry

from config.settings import Settings
from db.engine import create_engine

DB = create_engine(Settings.from_env().database_url)
APP_REGISTRY = AppRegistry(apps=["db.piccolo_app"])
