"""Open311 GeoReport v2 under /open311/v2: JSON and XML, errors as the standard's list."""

from api.open311.controller import Open311Controller

__all__ = ["Open311Controller"]
